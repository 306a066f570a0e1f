// The service-wide admin key (WXPUSH_ADMIN_KEY) guarding /v1/admin/*. Only its SHA-256 is kept in
// memory; a presented key is hashed and compared in constant time.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { bearerToken } from '../http/auth.ts'
import { devSecret, hashSecret } from '../secrets/secrets.box.ts'
import { adminDisabled, adminKeyInvalid, adminKeyMissing } from './admin.errors.ts'

/** Dev mode only: an admin key generated once into the data folder (mode 0600), like master.key. */
export function devAdminKey(dataDir: string): string {
  return devSecret(dataDir, 'admin.key', () => `wxpadm_${randomBytes(32).toString('base64url')}`)
}

/** A preValidation hook: 404 admin.disabled when no admin key is set, 401 when it is missing or wrong. */
export function createAdminAuth({ keyHash }: { keyHash: string | null }) {
  const expected = keyHash === null ? null : Buffer.from(keyHash)
  return async function requireAdminKey(request: FastifyRequest) {
    if (expected === null) throw adminDisabled()
    const key = bearerToken(request)
    if (!key) throw adminKeyMissing()
    // Both sides are SHA-256 in base64url, so the lengths match and nothing leaks through timing.
    const given = Buffer.from(hashSecret(key))
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw adminKeyInvalid()
  }
}
