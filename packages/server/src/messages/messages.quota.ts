// 45009: the app's daily quota for the send API is used up. Until it resets, every call answers
// 45009 again, so retrying with backoff only spends attempts and calls: the message is held (its
// attempt not counted) until the next quota day, and the rest of the app's messages claimed by this
// process wait for that day too without calling WeChat.
//
// WeChat does not document when its day turns. We take 00:00 China Standard Time (UTC+8), the
// calendar of the admin site's quota pages, plus one minute. A clear_quota by the operator takes
// effect for held messages at the next quota day, or at once for those held by a restarted process.
import type { Outcome } from './messages.store.ts'

const CST_OFFSET_MS = 8 * 3_600_000
const DAY_MS = 86_400_000
const MARGIN_MS = 60_000

/** The first minute of the next China Standard Time day after `now`. */
export function nextQuotaDay(now: number): Date {
  const cstMidnight = Math.floor((now + CST_OFFSET_MS) / DAY_MS) * DAY_MS - CST_OFFSET_MS
  return new Date(cstMidnight + DAY_MS + MARGIN_MS)
}

/** Per process: which apps met 45009, and until when their messages wait. */
export function createQuotaHolds() {
  const until = new Map<string, number>()
  return {
    /** The time this app's messages wait until, if they wait. */
    heldUntil(appId: string, now = Date.now()): Date | null {
      const t = until.get(appId)
      if (t === undefined) return null
      if (t > now) return new Date(t)
      until.delete(appId)
      return null
    },
    /** WeChat answered 45009 for this app: hold its sends until the next quota day. */
    hold(appId: string, now = Date.now()): Date {
      const t = nextQuotaDay(now)
      until.set(appId, t.getTime())
      return t
    },
  }
}

/** The decision for a held message: back to the queue until `until`, the attempt not counted. */
export function quotaHoldDecision(outcome: Outcome, until: Date) {
  return {
    kind: 'retry' as const,
    outcome: {
      ...outcome,
      status: 'queued' as const,
      detail: `每日调用额度已用完，暂停到 ${until.toISOString()} / daily quota used up: held until ${until.toISOString()}`,
    },
    uncertain: false,
    retryAt: until,
    attemptCounts: false,
  }
}
