// When a queue tries a job again after a retriable failure: exponential, capped, with ±50 % jitter
// so that a burst of failures does not come back as a burst. One module for every queue; each
// queue names its own RetryPolicy beside its worker (messages.dispatcher, callbacks.worker,
// webhooks.sender).
// Worked example with a 1 s base: attempts 1, 2, 3, 4 wait about 1, 2, 4, 8 s (each ±50 %);
// from attempt 11 on every wait is capped at 10 minutes.
const CAP_MS = 10 * 60_000

export interface RetryPolicy {
  /** The first wait; each further attempt doubles it, up to 10 minutes. */
  baseMs: number
  /** Attempts made before the job is given up. */
  maxAttempts: number
}

/** Delay before attempt `attempts + 1`, given `attempts` made so far (≥ 1). `random` in [0, 1). */
export function backoffDelayMs(attempts: number, random: number, baseMs: number): number {
  const exp = Math.min(CAP_MS, baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 20))
  return Math.round(exp * (0.5 + random))
}

/** When to run a job again after `attempts` attempts, or null when the policy gives it up. */
export function nextAttemptAt(policy: RetryPolicy, attempts: number, random = Math.random()): Date | null {
  if (attempts >= policy.maxAttempts) return null
  return new Date(Date.now() + backoffDelayMs(attempts, random, policy.baseMs))
}
