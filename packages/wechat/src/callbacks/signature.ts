// Message push signatures (docs/wechat.md §6.2–6.3): SHA-1 over the lexicographically sorted parts,
// concatenated. `signature` signs token+timestamp+nonce; `msg_signature` adds the Encrypt blob.

import { createHash, timingSafeEqual } from 'node:crypto'

function sha1OfSorted(parts: string[]): string {
  // Plain code-unit order, as WeChat's sample code (Arrays.sort / sorted()) uses.
  const sorted = [...parts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  return createHash('sha1').update(sorted.join(''), 'utf8').digest('hex')
}

/**
 * The `signature` of a push or of the URL verification GET.
 *
 * @example
 * urlSignature({ token: 'AAAAA', timestamp: '1714036504', nonce: '1514711492' })
 * // → 'f464b24fc39322e44b38aa78f5edd27bd1441696'
 */
export function urlSignature(p: { token: string; timestamp: string; nonce: string }): string {
  return sha1OfSorted([p.token, p.timestamp, p.nonce])
}

/**
 * The `msg_signature` of an encrypted push (secure or compatible mode).
 *
 * @example
 * verifySignature(msgSignature({ token, timestamp, nonce, encrypt: body.Encrypt }), query.msg_signature)
 */
export function msgSignature(p: {
  token: string
  timestamp: string
  nonce: string
  encrypt: string
}): string {
  return sha1OfSorted([p.token, p.timestamp, p.nonce, p.encrypt])
}

/**
 * Compares two signatures in constant time; false when the lengths differ (or either is not a string).
 *
 * @example
 * if (!verifySignature(urlSignature({ token, timestamp, nonce }), query.signature)) reply(401)
 */
export function verifySignature(expected: string, actual: string): boolean {
  if (typeof expected !== 'string' || typeof actual !== 'string') return false
  const a = Buffer.from(expected, 'utf8')
  const b = Buffer.from(actual, 'utf8')
  if (a.length !== b.length) return false
  return timingSafeEqual(a, b)
}
