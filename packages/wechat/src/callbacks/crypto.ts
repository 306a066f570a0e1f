// Secure-mode message encryption (docs/wechat.md §6.4, as wechatpy and WxJava implement it):
//   key = base64(EncodingAESKey + '=')  (32 bytes), IV = key[0..16), AES-256-CBC,
//   plaintext = 16 random bytes ‖ uint32 BE message length ‖ message (UTF-8) ‖ appid,
//   PKCS#7 padding to 32-byte blocks (not AES's 16), output base64.

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

export type CallbackCryptoErrorCode = 'bad_key' | 'bad_padding' | 'bad_length' | 'bad_base64'

const CODE_TEXT: Record<CallbackCryptoErrorCode, string> = {
  bad_key:
    'EncodingAESKey 无效（应为 43 个 base64 字符）/ Invalid EncodingAESKey (43 base64 characters expected)',
  bad_padding:
    '解密后的填充无效（密钥错误或密文被篡改）/ Bad padding after decryption (wrong key or tampered ciphertext)',
  bad_length: '密文或消息长度无效 / Invalid ciphertext or message length',
  bad_base64: 'Encrypt 不是有效的 base64 / Encrypt is not valid base64',
}

/** A push that cannot be decrypted. Never carries the key or the ciphertext. */
export class CallbackCryptoError extends Error {
  override readonly name = 'CallbackCryptoError'
  readonly code: CallbackCryptoErrorCode
  constructor(code: CallbackCryptoErrorCode) {
    super(CODE_TEXT[code])
    this.code = code
  }
}

const BLOCK = 32
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

function aesKey(encodingAesKey: string): Buffer {
  if (
    typeof encodingAesKey !== 'string' ||
    encodingAesKey.length !== 43 ||
    !BASE64.test(encodingAesKey + '=')
  ) {
    throw new CallbackCryptoError('bad_key')
  }
  const key = Buffer.from(encodingAesKey + '=', 'base64')
  if (key.length !== 32) throw new CallbackCryptoError('bad_key')
  return key
}

/**
 * Encrypts a message as WeChat does in secure mode (for the simulator's pushes and for tests).
 *
 * @example
 * const encrypt = encryptMessage({ encodingAesKey, appid: 'wx1234567890abcdef', message: JSON.stringify(event) })
 */
export function encryptMessage(p: {
  encodingAesKey: string
  appid: string
  message: string
  random?: Buffer
}): string {
  const key = aesKey(p.encodingAesKey)
  const random = p.random ?? randomBytes(16)
  if (random.length !== 16) throw new CallbackCryptoError('bad_length')
  const message = Buffer.from(p.message, 'utf8')
  const length = Buffer.alloc(4)
  length.writeUInt32BE(message.length, 0)
  const plain = Buffer.concat([random, length, message, Buffer.from(p.appid, 'utf8')])
  const pad = BLOCK - (plain.length % BLOCK)
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16))
  cipher.setAutoPadding(false)
  return Buffer.concat([
    cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])),
    cipher.final(),
  ]).toString('base64')
}

/**
 * Decrypts a secure-mode `Encrypt` blob. The caller must check that `appid` is its own.
 *
 * @example
 * const { message, appid } = decryptMessage({ encodingAesKey, encrypt: body.Encrypt })
 * if (appid !== app.appid) reject()
 */
export function decryptMessage(p: { encodingAesKey: string; encrypt: string }): {
  message: string
  appid: string
} {
  const key = aesKey(p.encodingAesKey)
  const text = typeof p.encrypt === 'string' ? p.encrypt.replace(/\s+/g, '') : ''
  if (text === '' || !BASE64.test(text) || text.length % 4 !== 0) throw new CallbackCryptoError('bad_base64')
  const data = Buffer.from(text, 'base64')
  if (data.length === 0 || data.length % 16 !== 0) throw new CallbackCryptoError('bad_length')
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16))
  decipher.setAutoPadding(false)
  const plain = Buffer.concat([decipher.update(data), decipher.final()])
  const pad = plain[plain.length - 1] ?? 0
  if (pad < 1 || pad > BLOCK || pad > plain.length) throw new CallbackCryptoError('bad_padding')
  for (let i = plain.length - pad; i < plain.length; i++) {
    if (plain[i] !== pad) throw new CallbackCryptoError('bad_padding')
  }
  const content = plain.subarray(0, plain.length - pad)
  if (content.length < 20) throw new CallbackCryptoError('bad_length')
  const length = content.readUInt32BE(16)
  if (20 + length > content.length) throw new CallbackCryptoError('bad_length')
  return {
    message: content.subarray(20, 20 + length).toString('utf8'),
    appid: content.subarray(20 + length).toString('utf8'),
  }
}
