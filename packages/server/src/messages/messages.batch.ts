// POST /v1/messages/batch: up to 1 000 bodies of POST /v1/messages in ONE transaction. Each item is
// checked and written on its own (content, recipient, credit, idempotency key) and answered in input
// order with the same error shapes as a single send; the accepted ones commit together.
import { consentGate } from '../consents/consents.credits.ts'
import type { Ledger } from '../consents/consents.ledger.ts'
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
  ledger: Ledger
  onEnqueued?: () => void
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
      const prepared = await prepareAll(reqs)
      const results = await db.transaction().execute(async (trx) => {
        const out: BatchItemResult[] = []
        for (const { index, req, p, error } of prepared) {
          if (!p) {
            out.push({ index, error: error! })
            continue
          }
          const { message, template } = p
          if (req.idempotencyKey) {
            const seen = await store.findByIdempotencyKey(trx, req.appId, req.idempotencyKey)
            if (seen) {
              out.push({ index, id: seen.id, status: seen.status, duplicate: true })
              continue
            }
          }
          const gate = consentGate({ kind: template.kind, templateId: template.id, messageId: message.id })
          const r = await store.enqueue(trx, message, gate)
          if (!r.userId) out.push({ index, error: recipientUnknown({ to: req.to }) })
          else if (!r.allowed) out.push({ index, error: await deps.outbox.refusal(trx, r.userId, template) })
          else if (!r.messageId) {
            // The key was taken by another request meanwhile: the credit taken for nothing goes back
            // and the first message is the answer, as for a single send.
            if (template.kind === 'one_time')
              await deps.ledger.release(trx, [
                { appId: req.appId, userId: r.userId, templateId: template.id, messageId: message.id },
              ])
            const first = await store.findByIdempotencyKey(trx, req.appId, req.idempotencyKey!)
            out.push({ index, id: first!.id, status: first!.status, duplicate: true })
          } else out.push({ index, id: message.id, status: message.status })
        }
        return out
      })
      if (results.some((r) => 'id' in r && !('duplicate' in r))) deps.onEnqueued?.()
      return results
    },
  }
}

export type BatchSender = ReturnType<typeof createBatchSender>
