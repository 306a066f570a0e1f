// Simulated time. Everything in the simulator that expires (tokens, login codes, form_ids, the
// customer-service window, daily quotas) reads this clock, so a test can move it forward with
// `POST /control/clock {advanceMs}` instead of waiting.

export interface Clock {
  /** Milliseconds since the epoch, simulated. */
  now(): number
  /** Moves simulated time forward (never backwards). */
  advance(ms: number): number
  /** The total offset added to the base clock so far. */
  offsetMs(): number
}

export function createClock(base: () => number = Date.now): Clock {
  let offset = 0
  return {
    now: () => base() + offset,
    advance(ms: number) {
      if (Number.isFinite(ms) && ms > 0) offset += ms
      return base() + offset
    },
    offsetMs: () => offset,
  }
}

const DAY_MS = 86_400_000
const BEIJING_OFFSET_MS = 8 * 3_600_000

/** WeChat's daily quotas reset at midnight Beijing time (UTC+8). */
export function beijingDay(ms: number): number {
  return Math.floor((ms + BEIJING_OFFSET_MS) / DAY_MS)
}

export function minuteOf(ms: number): number {
  return Math.floor(ms / 60_000)
}
