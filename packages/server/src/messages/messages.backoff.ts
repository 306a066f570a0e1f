// When to try again after a retriable failure: exponential, capped, with ±50 % jitter so that a
// burst of failures does not come back as a burst.
// Worked example with the default 1 s base: attempts 1, 2, 3, 4 wait about 1, 2, 4, 8 s (each ±50 %);
// from attempt 11 on every wait is capped at 10 minutes.
const CAP_MS = 10 * 60_000

/** Delay before attempt `attempts + 1`, given `attempts` made so far (≥ 1). `random` in [0, 1). */
export function backoffDelayMs(attempts: number, random: number = Math.random(), baseMs = 1_000): number {
  const exp = Math.min(CAP_MS, baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 20))
  return Math.round(exp * (0.5 + random))
}
