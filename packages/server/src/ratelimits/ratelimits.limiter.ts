// acquire(appId) waits until the app's shared bucket grants a send. Each process takes tokens in
// small chunks (about 50 ms worth) so that a send costs a database round trip only once per chunk.
// An app without a row is unlimited, unless WXPUSH_RATE_LIMIT_PER_S gives every app a default.
//
// A wait is bounded three ways: it sleeps at most WAIT_STEP_MS at a time and re-reads the limit
// after each step (a deleted limit lets every waiter go at once, a changed one applies at once); it
// gives up at the caller's deadline (the dispatcher passes half its lease, so a waiting message never
// outlives its lease and is never sent twice); and it gives up when the caller's signal aborts (a
// shutdown). A waiter asks the database for a token only when one can have accrued since its last try.
import { setTimeout as sleep } from 'node:timers/promises'
import type { RateLimitsStore } from './ratelimits.store.ts'
import type { Db } from '../db/db.ts'

const SETTINGS_CACHE_MS = 5_000
const CHUNK_SECONDS = 0.05
/** The lowest limit accepted: one send per 100 s. Below it a wait outlives any lease. */
export const MIN_PER_SECOND = 0.01
export const MAX_PER_SECOND = 1_000_000
const WAIT_STEP_MS = 1_000

export function createRateLimiter(deps: { db: Db; store: RateLimitsStore; defaultPerS: number }) {
  const { store, defaultPerS } = deps
  const settings = new Map<string, { until: number; ratePerS: number | null }>()
  const allowance = new Map<string, number>()
  const waiters = new Map<string, Set<() => void>>()

  async function rateOf(appId: string): Promise<number | null> {
    const hit = settings.get(appId)
    if (hit && hit.until > Date.now()) return hit.ratePerS
    let row = await store.find(deps.db, appId)
    if (!row && defaultPerS > 0) {
      await store.set(deps.db, { appId, ratePerS: defaultPerS, burst: defaultPerS })
      row = { rate_per_s: defaultPerS, burst: defaultPerS }
    }
    // A row written before the bound existed (1e-300, say) is read as the lowest accepted limit.
    const ratePerS = row ? Math.min(MAX_PER_SECOND, Math.max(MIN_PER_SECOND, row.rate_per_s)) : null
    settings.set(appId, { until: Date.now() + SETTINGS_CACHE_MS, ratePerS })
    return ratePerS
  }

  /** Sleeps up to `ms`; forget(appId) or the signal end it early. */
  async function pause(appId: string, ms: number, signal: AbortSignal | undefined) {
    const ac = new AbortController()
    const wake = () => ac.abort()
    const set = waiters.get(appId) ?? new Set()
    waiters.set(appId, set.add(wake))
    signal?.addEventListener('abort', wake, { once: true })
    try {
      await sleep(ms, undefined, { signal: ac.signal }).catch(() => {})
    } finally {
      signal?.removeEventListener('abort', wake)
      set.delete(wake)
      if (set.size === 0) waiters.delete(appId)
    }
  }

  return {
    /**
     * Resolves true when a send is granted (or the app has no limit), false when the deadline passed
     * or the signal aborted first: the caller then puts the message back without sending it.
     */
    async acquire(appId: string, opts: { deadline?: number; signal?: AbortSignal } = {}): Promise<boolean> {
      let nextTry = 0
      for (;;) {
        if (opts.signal?.aborted) return false
        const rate = await rateOf(appId)
        if (rate === null) return true
        const left = allowance.get(appId) ?? 0
        if (left > 0) {
          allowance.set(appId, left - 1)
          return true
        }
        const tokenEveryMs = 1000 / rate
        if (Date.now() >= nextTry) {
          const chunk = Math.max(1, Math.min(100, Math.floor(rate * CHUNK_SECONDS)))
          const granted = await store.take(deps.db, appId, chunk)
          if (granted > 0) {
            allowance.set(appId, (allowance.get(appId) ?? 0) + granted - 1)
            return true
          }
          nextTry = Date.now() + Math.max(5, Math.ceil(tokenEveryMs))
        }
        const now = Date.now()
        if (opts.deadline !== undefined && now >= opts.deadline) return false
        const until = Math.min(nextTry, now + WAIT_STEP_MS, opts.deadline ?? Infinity)
        await pause(appId, Math.max(1, until - now), opts.signal)
      }
    },

    /** After a change of the app's limit: this process reads it again at once, waiters included. */
    forget(appId: string) {
      settings.delete(appId)
      allowance.delete(appId)
      for (const wake of waiters.get(appId) ?? []) wake()
    },
  }
}

export type RateLimiter = ReturnType<typeof createRateLimiter>
