// The campaign worker: starts scheduled campaigns when their time comes, fans running ones out
// into messages chunk by chunk, marks them completed when nothing is open any more (with a signed
// webhook), and finishes cancelling. A campaign is leased while a worker is on it (campaigns.due_at):
// one that dies gives it back when the lease runs out, and the next one goes on from the cursor.
// The messages themselves are sent by the ordinary dispatcher (claimed after single sends).
import { setImmediate } from 'node:timers/promises'
import { CREDITS_LEFT, LONG_TERM_ON } from '../consents/consents.credits.ts'
import type { Ledger } from '../consents/consents.ledger.ts'
import type { Db } from '../db/db.ts'
import type { CampaignAudienceRecord } from '../db/db.schema.ts'
import { newId } from '../ids.ts'
import type { Webhooks } from '../webhooks/webhooks.sender.ts'
import { createWorkerLoop } from '../workers/workers.loop.ts'
import { campaignProgress } from './campaigns.progress.ts'
import type { CampaignsStore } from './campaigns.store.ts'

export interface SchedulerOptions {
  /** Recipients per fan-out statement. */
  chunk: number
  leaseMs: number
  pollMs: number
  /** How often a running campaign is looked at for completion. */
  recheckMs: number
}

export const SCHEDULER_DEFAULTS = { recheckMs: 500 } as const

const CONSENT_RULES = { creditsLeft: CREDITS_LEFT, longTermOn: LONG_TERM_ON }

/** newId('msg') without its random part: the fan-out statement adds that per message. */
const messageIdPrefix = () => newId('msg').slice(0, 'msg_'.length + 10)

export function createCampaignScheduler(deps: {
  db: Db
  store: CampaignsStore
  ledger: Ledger
  webhooks: Webhooks
  options: SchedulerOptions
  /** Messages were queued: wake the dispatchers. */
  onQueued: () => void
  onError?: (err: unknown) => void
}) {
  const { db, store, options } = deps
  const workerId = newId('wrk')

  /**
   * Cancels the queued messages of a cancelled campaign, a chunk per transaction, credits back.
   * `maxChunks` bounds the work (the cancel route does a few inline, within its request timeout;
   * the scheduler does the rest).
   */
  async function cancelQueued(id: string, maxChunks = Infinity) {
    for (let i = 0; i < maxChunks; i++) {
      const n = await db.transaction().execute(async (trx) => {
        const rows = await store.cancelQueuedChunk(trx, { id, limit: 2_000 })
        await deps.ledger.release(
          trx,
          rows
            .filter((r) => r.credit_reserved)
            .map((r) => ({ appId: r.app_id, userId: r.user_id, templateId: r.template_id, messageId: r.id })),
        )
        await deps.webhooks.statusChanged(
          trx,
          rows.map((r) => ({
            appId: r.app_id,
            messageId: r.id,
            status: 'cancelled',
            reason: 'campaign_cancelled',
          })),
        )
        return rows.length
      })
      if (n === 0) return
    }
  }

  async function settled(
    trx: Db,
    c: { id: string; app_id: string },
    type: 'campaign.completed' | 'campaign.cancelled',
  ) {
    const row = await store.find(trx, c.app_id, c.id)
    const view = await campaignProgress(trx, store, row!)
    await deps.webhooks.campaignChanged(trx, {
      appId: c.app_id,
      campaignId: c.id,
      type,
      status: view.status,
      counts: view.counts,
      skippedBy: view.skippedBy,
      failedBy: view.failedBy,
    })
  }

  async function run(c: {
    id: string
    app_id: string
    status: string
    fanout_done: boolean
    template_kind: 'one_time' | 'long_term'
    audience: CampaignAudienceRecord
  }) {
    let again = options.recheckMs
    try {
      if (c.status === 'scheduled') {
        await store.startIfDue(db, c.id)
        again = 0
      } else if (c.status === 'running') {
        let done = c.fanout_done
        while (!done) {
          const step = await store.fanoutChunk(db, {
            id: c.id,
            workerId,
            kind: c.template_kind,
            repeats: c.audience.kind !== 'consented' && c.audience.kind !== 'tag',
            limit: options.chunk,
            leaseMs: options.leaseMs,
            idPrefix: messageIdPrefix(),
            consent: CONSENT_RULES,
          })
          if (step.queued > 0) deps.onQueued()
          if (!step.moved) break // paused, cancelled, or the lease went to another worker
          done = step.done
          // Back to the event loop between chunks: on PGlite the statements run on this thread and
          // resolve without I/O, so without this an HTTP request waits for the whole fan-out.
          await setImmediate()
        }
        if (done)
          await db.transaction().execute(async (trx) => {
            const finished = await store.completeIfDone(trx, c.id)
            if (finished) await settled(trx, finished, 'campaign.completed')
          })
      } else if (c.status === 'cancelled') {
        await cancelQueued(c.id)
        await db.transaction().execute(async (trx) => {
          const finished = await store.settleCancelled(trx, c.id)
          if (finished) await settled(trx, finished, 'campaign.cancelled')
        })
      }
    } finally {
      await store.release(db, { id: c.id, workerId, afterMs: again })
    }
  }

  const loop = createWorkerLoop({
    concurrency: 2,
    batch: 2,
    pollMs: options.pollMs,
    claim: (limit) => store.claimDue(db, { workerId, limit, leaseMs: options.leaseMs }),
    run,
    onError: (err) => deps.onError?.(err),
  })

  return { workerId, start: loop.start, stop: loop.stop, wake: loop.wake, cancelQueued }
}

export type CampaignScheduler = ReturnType<typeof createCampaignScheduler>

/**
 * The dispatcher's second claim (campaign messages), skipped for a moment after it found nothing:
 * without campaigns running, single sends pay one extra statement per 200 ms, not one per claim. A
 * fan-out wakes the dispatcher itself, so the pause only delays retries of campaign messages.
 */
export function createCampaignClaimer(p: { db: Db; store: CampaignsStore; idleMs?: number }) {
  let idleUntil = 0
  return async (q: { workerId: string; limit: number; leaseMs: number }) => {
    if (Date.now() < idleUntil) return []
    const claimed = await p.store.claimMessages(p.db, q)
    idleUntil = claimed.length === 0 ? Date.now() + (p.idleMs ?? 200) : 0
    return claimed
  }
}
