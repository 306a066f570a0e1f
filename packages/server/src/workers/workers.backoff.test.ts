import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { backoffDelayMs, nextAttemptAt } from './workers.backoff.ts'

describe('backoffDelayMs', () => {
  it('stays within ±50 % of base×2^(attempts-1) and under the 10-minute cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        fc.integer({ min: 10, max: 5_000 }),
        (attempts, r, base) => {
          const d = backoffDelayMs(attempts, r, base)
          const nominal = Math.min(600_000, base * 2 ** Math.min(attempts - 1, 20))
          expect(d).toBeGreaterThanOrEqual(Math.floor(nominal * 0.5))
          expect(d).toBeLessThanOrEqual(Math.ceil(nominal * 1.5))
        },
      ),
    )
  })

  it('never shrinks as attempts grow, for the same jitter draw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (attempts, r) => {
          expect(backoffDelayMs(attempts + 1, r, 1_000)).toBeGreaterThanOrEqual(
            backoffDelayMs(attempts, r, 1_000),
          )
        },
      ),
    )
  })
})

describe('nextAttemptAt', () => {
  it('gives up at maxAttempts and not before', () => {
    const policy = { baseMs: 1_000, maxAttempts: 3 }
    expect(nextAttemptAt(policy, 2, 0)).toBeInstanceOf(Date)
    expect(nextAttemptAt(policy, 3, 0)).toBeNull()
    expect(nextAttemptAt(policy, 4, 0)).toBeNull()
  })
})
