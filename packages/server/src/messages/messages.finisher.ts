// Records the dispatcher's outcomes in batches: whatever decisions are waiting when the previous
// write ends go into the next transaction (one UPDATE … FROM jsonb_to_recordset for the messages,
// one for the credits given back, one for the webhooks). Under load a batch holds tens of
// messages, so a send costs a small fraction of a database round trip instead of six.
// Each caller's promise settles when its own outcome is committed (graceful stop waits for it).
import type { Ledger } from '../consents/consents.ledger.ts'
import type { Db } from '../db/db.ts'
import type { Webhooks } from '../webhooks/webhooks.sender.ts'
import type { ClaimedMessage, MessagesStore, Outcome } from './messages.store.ts'

const MAX_BATCH = 200
// Outcomes trickle in one by one as WeChat answers; waiting this long gathers them into one
// transaction (measured: without it, about one commit per message).
const GATHER_MS = 5

export type Decision =
  | { kind: 'finish'; outcome: Outcome; credit: 'consume' | 'release' | 'zero' | 'keep' }
  | {
      kind: 'retry'
      outcome: Outcome
      uncertain: boolean
      retryAt: Date
      attemptCounts?: boolean
      awaitEvidence?: boolean
    }
  /** Put back unsent (the rate limit's wait gave up, or a shutdown): the attempt does not count. */
  | { kind: 'requeue'; outcome: Outcome }

interface Pending {
  m: ClaimedMessage
  d: Decision
  resolve: () => void
  reject: (err: unknown) => void
}

export function createFinisher(deps: {
  db: Db
  store: MessagesStore
  ledger: Ledger
  webhooks: Webhooks
  workerId: string
  onOutcome?: (p: { status: string; reason: string | null }) => void
  onSent?: (p: { acceptedSecondsAgo: number }) => void
}) {
  let queue: Pending[] = []
  let writing = false

  const ref = (m: ClaimedMessage) => ({
    appId: m.app_id,
    userId: m.user_id,
    templateId: m.template_id,
    messageId: m.id,
  })

  /** Commits the batch; answers, for each message now `sent`, the seconds since it was accepted. */
  async function write(batch: Pending[]): Promise<number[]> {
    return deps.db.transaction().execute(async (trx) => {
      const done = await deps.store.finishBatch(trx, {
        workerId: deps.workerId,
        items: batch.map(({ m, d }) =>
          d.kind === 'retry'
            ? {
                id: m.id,
                outcome: d.outcome,
                retryAt: d.retryAt,
                uncertain: d.uncertain,
                attemptCounts: d.attemptCounts ?? true,
                awaitEvidence: d.awaitEvidence ?? false,
              }
            : d.kind === 'requeue'
              ? { id: m.id, outcome: d.outcome, attemptCounts: false }
              : { id: m.id, outcome: d.outcome },
        ),
      })
      // A row whose lease was lost (swept and claimed again) was not written: nothing else follows for it.
      const finished = batch.filter((p) => done.has(p.m.id) && p.d.kind === 'finish')
      const credit = (p: Pending) => (p.d.kind === 'finish' ? p.d.credit : 'keep')
      await deps.ledger.release(
        trx,
        finished.filter((p) => p.m.credit_reserved && credit(p) === 'release').map((p) => ref(p.m)),
      )
      for (const p of finished.filter((x) => credit(x) === 'zero'))
        await deps.ledger.zero(trx, { ...ref(p.m), kind: p.m.template_kind })
      await deps.webhooks.statusChanged(
        trx,
        finished.map(({ m, d }) => ({
          appId: m.app_id,
          messageId: m.id,
          status: d.outcome.status,
          reason: d.outcome.reason ?? null,
          errcode: d.outcome.errcode ?? null,
        })),
      )
      return finished.filter((p) => p.d.outcome.status === 'sent').map((p) => done.get(p.m.id)!)
    })
  }

  async function drain() {
    if (writing) return
    writing = true
    try {
      while (queue.length > 0) {
        const batch = queue.slice(0, MAX_BATCH)
        queue = queue.slice(batch.length)
        try {
          const sentAges = await write(batch)
          for (const age of sentAges) deps.onSent?.({ acceptedSecondsAgo: age })
          for (const p of batch) {
            deps.onOutcome?.({ status: p.d.outcome.status, reason: p.d.outcome.reason ?? null })
            p.resolve()
          }
        } catch (err) {
          // The messages keep their lease; after it runs out they are claimed again.
          for (const p of batch) p.reject(err)
        }
      }
    } finally {
      writing = false
    }
  }

  return {
    record(m: ClaimedMessage, d: Decision): Promise<void> {
      return new Promise((resolve, reject) => {
        queue.push({ m, d, resolve, reject })
        if (!writing && queue.length === 1) setTimeout(() => void drain(), GATHER_MS)
      })
    },
  }
}
