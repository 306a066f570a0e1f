// Signed webhooks: each status change of a message is POSTed to the app's endpoint, delivered
// through the webhook_deliveries outbox (claimed, leased, retried with backoff like messages).
//
// Signature: header `X-Wxpush-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
// The receiver recomputes it over the raw body and rejects old timestamps (replays).
import { createHmac } from 'node:crypto'
import { Agent, request } from 'undici'
import type { Config } from '../config.ts'
import { AppError } from '../errors.ts'
import type { Db } from '../db/db.ts'
import { newId } from '../ids.ts'
import type { SecretBox } from '../secrets/secrets.box.ts'
import { nextAttemptAt, type RetryPolicy } from '../workers/workers.backoff.ts'
import { createWorkerLoop } from '../workers/workers.loop.ts'
import type { DeliveryRow, WebhooksStore } from './webhooks.store.ts'
import { checkWebhookUrl, guardedLookup } from './webhooks.target.ts'

/** The operator's setting, else on in dev mode only (the dev backend is local). */
export function webhookAllowPrivate(config: Pick<Config, 'WXPUSH_WEBHOOK_ALLOW_PRIVATE' | 'WXPUSH_MODE'>) {
  return config.WXPUSH_WEBHOOK_ALLOW_PRIVATE ?? config.WXPUSH_MODE === 'dev'
}

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

/** The webhooks queue's retries: a 1 s base, WXPUSH_WEBHOOK_MAX_ATTEMPTS attempts. */
export const webhookRetryPolicy = (maxAttempts: number): RetryPolicy => ({ baseMs: 1_000, maxAttempts })

export function createWebhooks(deps: {
  db: Db
  store: WebhooksStore
  secrets: SecretBox
  timeoutMs: number
  maxAttempts: number
  allowPrivate: boolean
  onError?: (err: unknown) => void
}) {
  const { db, store } = deps
  const workerId = newId('wrk')
  const retry = webhookRetryPolicy(deps.maxAttempts)
  // Every connection resolves its name through the guard: the address checked is the one dialled.
  const dispatcher = deps.allowPrivate ? undefined : new Agent({ connect: { lookup: guardedLookup } })

  async function deliver(d: DeliveryRow) {
    const body = JSON.stringify(d.payload)
    let httpStatus: number | null = null
    let error: string | null = null
    try {
      checkWebhookUrl(d.url, deps.allowPrivate)
    } catch (err) {
      // Stored before the rule (or the setting) changed: no retry can make it acceptable.
      if (!(err instanceof AppError)) throw err
      const why = `${err.code} ${JSON.stringify(err.details ?? {})}`
      return store.finish(db, { id: d.id, workerId, status: 'failed', httpStatus, error: why })
    }
    try {
      const res = await request(d.url, {
        ...(dispatcher ? { dispatcher } : {}),
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
      if ((err as { code?: unknown }).code === 'EWXPUSH_PRIVATE_ADDRESS')
        return store.finish(db, { id: d.id, workerId, status: 'failed', httpStatus, error })
    }
    const ok = httpStatus !== null && httpStatus >= 200 && httpStatus < 300
    if (ok) return store.finish(db, { id: d.id, workerId, status: 'delivered', httpStatus, error: null })
    const retryAt = nextAttemptAt(retry, d.attempts)
    if (retryAt === null) return store.finish(db, { id: d.id, workerId, status: 'failed', httpStatus, error })
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
    async stop() {
      await loop.stop()
      await dispatcher?.close()
    },
    wake: loop.wake,
  }
}

export type Webhooks = ReturnType<typeof createWebhooks>
