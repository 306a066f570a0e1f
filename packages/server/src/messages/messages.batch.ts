// POST /v1/messages/batch: up to 1 000 bodies of POST /v1/messages in ONE transaction and, unless
// idempotency keys repeat within the batch, ONE statement (messages.store enqueueMany). Each item is
// checked on its own (content, recipient, credit, idempotency key) and answered in input order with
// the same error shapes as a single send; the accepted ones commit together.
import type { Db } from '../db/db.ts'
import { AppError } from '../errors.ts'
import { recipientUnknown } from './messages.errors.ts'
import type { EnqueueRequest, Outbox } from './messages.outbox.ts'
import type { MessagesStore } from './messages.store.ts'

export type BatchItemResult =
  { index: number; id: string; status: string; duplicate?: true } | { index: number; error: AppError }

type Prepared = Awaited<ReturnType<Outbox['prepare']>>

export function createBatchSender(deps: {
  db: Db
  store: MessagesStore
  outbox: Outbox
  onEnqueued?: () => void
  /** Seconds from the batch reaching the sender to its rows committed. */
  onAccepted?: (seconds: number) => void
}) {
  const { db, store } = deps

  async function prepareAll(reqs: EnqueueRequest[]) {
    return Promise.all(
      reqs.map(
        async (
          req,
          index,
        ): Promise<{ index: number; req: EnqueueRequest; p?: Prepared; error?: AppError }> => {
          try {
            return { index, req, p: await deps.outbox.prepare(req) }
          } catch (err) {
            if (err instanceof AppError) return { index, req, error: err }
            throw err
          }
        },
      ),
    )
  }

  return {
    async send(reqs: EnqueueRequest[]): Promise<BatchItemResult[]> {
      const started = performance.now()
      const prepared = await prepareAll(reqs)
      const results = await db.transaction().execute(async (trx) => {
        const out: BatchItemResult[] = []
        let pending: typeof prepared = []
        for (const x of prepared) {
          if (x.p) pending.push(x)
          else out[x.index] = { index: x.index, error: x.error! }
        }
        // One statement per round. A key seen earlier in the batch waits for the next round, which
        // sees the first one's row and answers it as a duplicate, as a later single send would.
        while (pending.length > 0) {
          const round: typeof prepared = []
          const later: typeof prepared = []
          const keys = new Set<string>()
          for (const x of pending) {
            const key = x.req.idempotencyKey
            if (key && keys.has(key)) later.push(x)
            else {
              if (key) keys.add(key)
              round.push(x)
            }
          }
          const rs = await deps.outbox.write(
            trx,
            round.map((x) => x.p!.message),
          )
          for (const [i, { index, req, p }] of round.entries()) {
            const r = rs[i]!
            if (r.duplicate)
              out[index] = { index, id: r.duplicate.id, status: r.duplicate.status, duplicate: true }
            else if (!r.userId) out[index] = { index, error: recipientUnknown({ to: req.to }) }
            else if (!r.allowed)
              out[index] = { index, error: await deps.outbox.refusal(trx, r.userId, p!.template) }
            else if (!r.written) {
              // The key was taken by another request meanwhile (the credit went back in write()):
              // the first message is the answer, as for a single send.
              const first = await store.findByIdempotencyKey(trx, req.appId, req.idempotencyKey!)
              out[index] = { index, id: first!.id, status: first!.status, duplicate: true }
            } else out[index] = { index, id: p!.message.id, status: p!.message.status }
          }
          pending = later
        }
        return out
      })
      deps.onAccepted?.((performance.now() - started) / 1000)
      if (results.some((r) => 'id' in r && !('duplicate' in r))) deps.onEnqueued?.()
      return results
    },
  }
}

export type BatchSender = ReturnType<typeof createBatchSender>
