// acquire(appId) waits until the app's shared bucket grants a send. Each process takes tokens in
// small chunks (about 50 ms worth) so that a send costs a database round trip only once per chunk.
// An app without a row is unlimited, unless WXPUSH_RATE_LIMIT_PER_S gives every app a default.
import { setTimeout as sleep } from 'node:timers/promises'
import type { RateLimitsStore } from './ratelimits.store.ts'
import type { Db } from '../db/db.ts'

const SETTINGS_CACHE_MS = 5_000
const CHUNK_SECONDS = 0.05

export function createRateLimiter(deps: { db: Db; store: RateLimitsStore; defaultPerS: number }) {
  const { store, defaultPerS } = deps
  const settings = new Map<string, { until: number; ratePerS: number | null }>()
  const allowance = new Map<string, number>()

  async function rateOf(appId: string): Promise<number | null> {
    const hit = settings.get(appId)
    if (hit && hit.until > Date.now()) return hit.ratePerS
    let row = await store.find(deps.db, appId)
    if (!row && defaultPerS > 0) {
      await store.set(deps.db, { appId, ratePerS: defaultPerS, burst: defaultPerS })
      row = { rate_per_s: defaultPerS, burst: defaultPerS }
    }
    const ratePerS = row ? row.rate_per_s : null
    settings.set(appId, { until: Date.now() + SETTINGS_CACHE_MS, ratePerS })
    return ratePerS
  }

  return {
    async acquire(appId: string): Promise<void> {
      const rate = await rateOf(appId)
      if (rate === null) return
      for (;;) {
        const left = allowance.get(appId) ?? 0
        if (left > 0) {
          allowance.set(appId, left - 1)
          return
        }
        const chunk = Math.max(1, Math.min(100, Math.floor(rate * CHUNK_SECONDS)))
        const granted = await store.take(deps.db, appId, chunk)
        if (granted > 0) {
          allowance.set(appId, (allowance.get(appId) ?? 0) + granted - 1)
          return
        }
        await sleep(Math.max(5, Math.ceil(1000 / rate)))
      }
    },

    /** After a change of the app's limit: this process reads it again at once. */
    forget(appId: string) {
      settings.delete(appId)
      allowance.delete(appId)
    },
  }
}

export type RateLimiter = ReturnType<typeof createRateLimiter>
