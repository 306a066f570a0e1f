// The worker half of message push: claim stored events, act on each in one transaction with its
// 'done' marker, retry with backoff when that fails. Woken in-process right after a push is stored;
// polling finds anything a wake-up missed (another process's push, a restart).
import type { Db } from '../db/db.ts'
import { nextAttemptAt, type RetryPolicy } from '../workers/workers.backoff.ts'
import { createWorkerLoop } from '../workers/workers.loop.ts'
import { NotYetError, type CallbackHandlers } from './callbacks.handlers.ts'
import type { CallbacksStore, ClaimedEvent } from './callbacks.store.ts'

export interface CallbackWorkerOptions {
  batch: number
  concurrency: number
  pollMs: number
  leaseMs: number
  /** Attempts before an event is marked failed. With the 500 ms backoff base, 10 attempts span ~8 min. */
  maxAttempts: number
}

export const CALLBACK_WORKER_DEFAULTS = Object.freeze({
  batch: 50,
  concurrency: 4,
  leaseMs: 60_000,
  maxAttempts: 10,
})

/** The callbacks queue's retries: a 500 ms base (a push's facts are usually ready within seconds). */
export const callbackRetryPolicy = (o: CallbackWorkerOptions): RetryPolicy => ({
  baseMs: 500,
  maxAttempts: o.maxAttempts,
})

export function createCallbackWorker(deps: {
  db: Db
  store: CallbacksStore
  handlers: CallbackHandlers
  options: CallbackWorkerOptions
  onError?: (err: unknown, event: { id: string; eventType: string }) => void
}) {
  const { db, store, handlers, options } = deps
  const retry = callbackRetryPolicy(options)

  async function run(row: ClaimedEvent) {
    try {
      const prepared = await handlers.prepare(row)
      await db.transaction().execute(async (trx) => {
        if (!(await store.markDone(trx, { id: row.id, attempts: row.attempts }))) return // taken over
        await handlers.apply(trx, row, prepared)
      })
    } catch (err) {
      const runAt = nextAttemptAt(retry, row.attempts)
      await store.markRetry(db, {
        id: row.id,
        attempts: row.attempts,
        error: String((err as Error)?.message ?? err).slice(0, 1000),
        runAt,
      })
      if (!(err instanceof NotYetError) || runAt === null)
        deps.onError?.(err, { id: row.id, eventType: row.event_type })
    }
  }

  const loop = createWorkerLoop<ClaimedEvent>({
    concurrency: options.concurrency,
    batch: options.batch,
    pollMs: options.pollMs,
    claim: (limit) => store.claim(db, { limit, leaseMs: options.leaseMs }),
    run,
    onError: (err) => deps.onError?.(err, { id: '', eventType: '' }),
  })

  return { start: loop.start, stop: loop.stop, wake: loop.wake, inflight: loop.inflight }
}
