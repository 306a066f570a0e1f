// When to try again after a retriable failure: exponential, capped, with ±50 % jitter so that a
// burst of failures does not come back as a burst.
const BASE_MS = 1_000
const CAP_MS = 10 * 60_000

/** Delay before attempt `attempts + 1`, given `attempts` made so far (≥ 1). `random` in [0, 1). */
export function backoffDelayMs(attempts: number, random: number = Math.random()): number {
  const exp = Math.min(CAP_MS, BASE_MS * 2 ** Math.min(Math.max(attempts - 1, 0), 20))
  return Math.round(exp * (0.5 + random))
}
