// The simulator's own message-push crypto (docs/wechat.md §6.2–§6.4), written independently
// of packages/wechat. signature = sha1(sort([token, timestamp, nonce]).join('')); msg_signature adds
// Encrypt to the list. AES-256-CBC with key = base64(EncodingAESKey + '='), IV = key[0..16],
// PKCS#7 padding to 32-byte blocks; plaintext = 16 random bytes ‖ 4-byte BE length ‖ msg ‖ appid.
import { createCipheriv, createHash, randomBytes } from 'node:crypto'

export function sha1Signature(parts: readonly string[]): string {
  return createHash('sha1')
    .update([...parts].sort().join(''))
    .digest('hex')
}

export function aesKeyOf(encodingAesKey: string): Buffer {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64')
  if (key.length !== 32) throw new Error('EncodingAESKey must be 43 characters of base64 (32 bytes)')
  return key
}

const BLOCK = 32

export function encryptMessage(
  message: string,
  appid: string,
  encodingAesKey: string,
  random16: Buffer = randomBytes(16),
): string {
  const key = aesKeyOf(encodingAesKey)
  const msg = Buffer.from(message, 'utf8')
  const length = Buffer.alloc(4)
  length.writeUInt32BE(msg.length, 0)
  const body = Buffer.concat([random16, length, msg, Buffer.from(appid, 'utf8')])
  const pad = BLOCK - (body.length % BLOCK)
  const padded = Buffer.concat([body, Buffer.alloc(pad, pad)])
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16))
  cipher.setAutoPadding(false)
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64')
}
