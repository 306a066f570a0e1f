import { describe, expect, it } from 'vitest'
import { createQuotaHolds, nextQuotaDay } from './messages.quota.ts'

describe('nextQuotaDay', () => {
  it('is 00:01 China Standard Time (16:01 UTC) of the next CST day', () => {
    // 2026-12-01 15:59 UTC is 23:59 CST on the 1st; 16:00 UTC is already the 2nd in CST.
    expect(nextQuotaDay(Date.parse('2026-12-01T15:59:00Z')).toISOString()).toBe('2026-12-01T16:01:00.000Z')
    expect(nextQuotaDay(Date.parse('2026-12-01T16:00:00Z')).toISOString()).toBe('2026-12-02T16:01:00.000Z')
    expect(nextQuotaDay(Date.parse('2026-12-31T20:00:00Z')).toISOString()).toBe('2027-01-01T16:01:00.000Z')
  })
})

describe('createQuotaHolds', () => {
  it('holds an app until the next quota day, then lets it go', () => {
    const holds = createQuotaHolds()
    const now = Date.parse('2026-12-01T08:00:00Z')
    expect(holds.heldUntil('app_a', now)).toBeNull()
    const until = holds.hold('app_a', now)
    expect(holds.heldUntil('app_a', now + 60_000)).toEqual(until)
    expect(holds.heldUntil('app_b', now)).toBeNull()
    expect(holds.heldUntil('app_a', until.getTime() + 1)).toBeNull()
  })
})
