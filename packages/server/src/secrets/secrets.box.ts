// Secrets at rest (app secrets, access_tokens, session_keys, callback AES keys) are sealed with
// AES-256-GCM under WXPUSH_MASTER_KEY. Format: v1.<iv>.<tag>.<ciphertext>, base64url parts.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { secretUnreadable } from './secrets.errors.ts'

export interface SecretBox {
  seal(plain: string): string
  open(sealed: string): string
}

export function createSecretBox(masterKeyBase64: string): SecretBox {
  const key = Buffer.from(masterKeyBase64, 'base64')
  if (key.length !== 32) throw new Error('WXPUSH_MASTER_KEY must be 32 bytes in base64')
  return {
    seal(plain) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return ['v1', iv, cipher.getAuthTag(), ct]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.')
    },
    open(sealed) {
      const [version, iv, tag, ct] = sealed.split('.')
      if (version !== 'v1' || !iv || !tag || ct === undefined) throw secretUnreadable()
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
        decipher.setAuthTag(Buffer.from(tag, 'base64url'))
        return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString(
          'utf8',
        )
      } catch (cause) {
        throw secretUnreadable({}, { cause })
      }
    },
  }
}

/** Dev mode only: a secret made once into the data folder (mode 0600) and read back afterwards. */
export function devSecret(dataDir: string, name: string, make: () => string): string {
  const file = join(dataDir, name)
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  mkdirSync(dataDir, { recursive: true })
  const secret = make()
  writeFileSync(file, secret + '\n', { mode: 0o600 })
  return secret
}

/** Dev mode only: the master key, generated once into the data folder. */
export function devMasterKey(dataDir: string): string {
  return devSecret(dataDir, 'master.key', () => randomBytes(32).toString('base64'))
}

/** API keys and session tokens are stored as their SHA-256: a database leak does not leak them. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url')
}
