// verifyWebhook(secret, headers, rawBody): checks the X-Wxpush-Signature header wxpush puts on each
// webhook delivery, `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, over the body
// exactly as received, and refuses old timestamps (a replayed delivery).
import { createHmac, timingSafeEqual } from 'node:crypto'
import { WxpushError } from './errors.ts'

/** What a webhook delivery carries (see docs/api.md, Webhooks). */
export interface WebhookEvent {
  type?: string
  [field: string]: unknown
}

type Headers = Record<string, string | string[] | undefined> | { get(name: string): string | null }

function header(headers: Headers, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function')
    return (headers as { get(n: string): string | null }).get(name) ?? undefined
  const record = headers as Record<string, string | string[] | undefined>
  const key = Object.keys(record).find((k) => k.toLowerCase() === name)
  const v = key === undefined ? undefined : record[key]
  return Array.isArray(v) ? v[0] : v
}

const refused = (reason: string) =>
  new WxpushError({
    status: 0,
    code: 'sdk.webhook_signature',
    message: `Webhook 签名无效 / invalid webhook signature (${reason})`,
    details: { reason },
  })

/**
 * The delivery's parsed body when its signature holds; throws WxpushError `sdk.webhook_signature`
 * otherwise. `rawBody` must be the bytes as received (before any JSON parsing).
 */
export function verifyWebhook(
  secret: string,
  headers: Headers,
  rawBody: string | Buffer | Uint8Array,
  options: { toleranceS?: number; now?: () => number } = {},
): WebhookEvent {
  const signature = header(headers, 'x-wxpush-signature')
  if (!signature) throw refused('missing')
  const parts = new Map(
    signature.split(',').map((p) => {
      const i = p.indexOf('=')
      return [p.slice(0, i).trim(), p.slice(i + 1).trim()] as const
    }),
  )
  const t = Number(parts.get('t'))
  const v1 = parts.get('v1') ?? ''
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(v1)) throw refused('malformed')
  const nowS = Math.floor((options.now?.() ?? Date.now()) / 1000)
  if (Math.abs(nowS - t) > (options.toleranceS ?? 300)) throw refused('timestamp')
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : Buffer.from(rawBody)
  const expected = createHmac('sha256', secret)
    .update(Buffer.concat([Buffer.from(`${t}.`, 'utf8'), body]))
    .digest()
  if (!timingSafeEqual(expected, Buffer.from(v1, 'hex'))) throw refused('mismatch')
  return JSON.parse(body.toString('utf8')) as WebhookEvent
}
