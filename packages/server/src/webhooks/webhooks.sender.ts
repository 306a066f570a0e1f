// Signed webhooks: each status change of a message is POSTed to the app's endpoint, delivered
// through the webhook_deliveries outbox (claimed, leased, retried with backoff like messages).
//
// Signature: header `X-Wxpush-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
// The receiver recomputes it over the raw body and rejects old timestamps (replays).
import { createHmac } from 'node:crypto'
import { request } from 'undici'
import type { Db } from '../db/db.ts'
import { newId } from '../ids.ts'
import { backoffDelayMs } from '../messages/messages.backoff.ts'
import type { SecretBox } from '../secrets/secrets.box.ts'
import { createWorkerLoop } from '../workers/workers.loop.ts'
import type { DeliveryRow, WebhooksStore } from './webhooks.store.ts'

export function signWebhook(p: { secret: string; timestamp: number; body: string }): string {
  const mac = createHmac('sha256', p.secret).update(`${p.timestamp}.${p.body}`).digest('hex')
  return `t=${p.timestamp},v1=${mac}`
}

export interface StatusChange {
  appId: string
  messageId: string
  status: string
  reason?: string | null
  errcode?: number | null
}

export function createWebhooks(deps: {
  db: Db
  store: WebhooksStore
  secrets: SecretBox
  timeoutMs: number
  maxAttempts: number
  onError?: (err: unknown) => void
}) {
  const { db, store } = deps
  const workerId = newId('wrk')

  async function deliver(d: DeliveryRow) {
    const body = JSON.stringify(d.payload)
    let httpStatus: number | null = null
    let error: string | null = null
    try {
      const res = await request(d.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-wxpush-delivery': d.id,
          'x-wxpush-signature': signWebhook({
            secret: deps.secrets.open(d.secret_enc),
            timestamp: Math.floor(Date.now() / 1000),
            body,
          }),
        },
        body,
        headersTimeout: deps.timeoutMs,
        bodyTimeout: deps.timeoutMs,
      })
      httpStatus = res.statusCode
      await res.body.dump()
    } catch (err) {
      error = (err as Error).message
    }
    const ok = httpStatus !== null && httpStatus >= 200 && httpStatus < 300
    if (ok) return store.finish(db, { id: d.id, workerId, status: 'delivered', httpStatus, error: null })
    if (d.attempts >= deps.maxAttempts)
      return store.finish(db, { id: d.id, workerId, status: 'failed', httpStatus, error })
    const retryAt = new Date(Date.now() + backoffDelayMs(d.attempts))
    return store.finish(db, { id: d.id, workerId, status: 'queued', httpStatus, error, retryAt })
  }

  const loop = createWorkerLoop<DeliveryRow>({
    concurrency: 16,
    batch: 16,
    pollMs: 1_000,
    claim: (limit) => store.claim(db, { workerId, limit, leaseMs: deps.timeoutMs * 3 }),
    run: deliver,
    onError: (err) => deps.onError?.(err),
  })

  return {
    /** Call inside the transaction that changes the status: the delivery commits with it. */
    async statusChanged(trx: Db, changes: StatusChange | StatusChange[]) {
      const at = new Date().toISOString()
      await store.enqueueMany(
        trx,
        (Array.isArray(changes) ? changes : [changes]).map((c) => ({
          appId: c.appId,
          messageId: c.messageId,
          payload: {
            type: 'message.status',
            appId: c.appId,
            messageId: c.messageId,
            status: c.status,
            ...(c.reason ? { reason: c.reason } : {}),
            ...(c.errcode !== null && c.errcode !== undefined ? { errcode: c.errcode } : {}),
            at,
          },
        })),
      )
    },
    /**
     * A campaign finished (completed, or cancelled with nothing left open): one delivery, signed
     * like the others. Its subject id (the message_id column) is the campaign's id.
     */
    async campaignChanged(
      trx: Db,
      c: { appId: string; campaignId: string; type: 'campaign.completed' | 'campaign.cancelled' } & Record<
        string,
        unknown
      >,
    ) {
      const { appId, campaignId, type, ...rest } = c
      await store.enqueueMany(trx, [
        {
          appId,
          messageId: campaignId,
          payload: { type, appId, campaignId, ...rest, at: new Date().toISOString() },
        },
      ])
    },
    start: loop.start,
    stop: loop.stop,
    wake: loop.wake,
  }
}

export type Webhooks = ReturnType<typeof createWebhooks>
