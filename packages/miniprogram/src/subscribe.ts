// Asking for consent. WeChat opens the popup only when wx.requestSubscribeMessage is called from a
// tap, so this module calls it synchronously: no await, no request before it. A list longer than
// one call allows is split into calls of the same kind (one-time and long-term ids cannot be mixed:
// 20002), each started from the previous call's callback, inside the same tap.

/** What one template came back as: WeChat's answer, or the failure of the call that asked for it. */
export type SubscribeAnswer =
  'accept' | 'acceptWithAudio' | 'acceptWithAlert' | 'acceptWithForcePush' | 'reject' | 'ban' | 'filter'

export interface CallOutcome {
  tmplIds: string[]
  /** The call succeeded: the answer per template id. */
  answers?: Record<string, SubscribeAnswer>
  /** The call failed: WeChat's errCode (absent for the TAP error, whose code WeChat does not document). */
  fail?: { errCode?: number; errMsg: string }
}

const ANSWERS = [
  'accept',
  'acceptWithAudio',
  'acceptWithAlert',
  'acceptWithForcePush',
  'reject',
  'ban',
  'filter',
]

/** Splits ids into calls of at most `perCall`, never mixing kinds. */
export function splitCalls(
  ids: { id: string; kind: 'one_time' | 'long_term' }[],
  perCall: number,
): string[][] {
  const calls: string[][] = []
  for (const kind of ['one_time', 'long_term']) {
    const same = ids.filter((t) => t.kind === kind).map((t) => t.id)
    for (let i = 0; i < same.length; i += perCall) calls.push(same.slice(i, i + perCall))
  }
  return calls
}

/**
 * Runs the calls one after another: the first right now (synchronously, inside the caller's tap),
 * each next one from the previous one's `complete` callback. `onCall` hears each outcome as it
 * comes; the promise resolves with all of them.
 */
export function requestInTap(calls: string[][], onCall: (o: CallOutcome) => void): Promise<CallOutcome[]> {
  return new Promise((resolve) => {
    const outcomes: CallOutcome[] = []
    const next = (i: number): void => {
      const tmplIds = calls[i]
      if (!tmplIds) return resolve(outcomes)
      let outcome: CallOutcome = { tmplIds, fail: { errMsg: 'requestSubscribeMessage:fail no answer' } }
      wx.requestSubscribeMessage({
        tmplIds,
        success: (r) => {
          const answers: Record<string, SubscribeAnswer> = {}
          const raw = r as unknown as Record<string, string>
          for (const id of tmplIds) {
            const a = raw[id]
            if (a !== undefined && ANSWERS.indexOf(a) >= 0) answers[id] = a as SubscribeAnswer
          }
          outcome = { tmplIds, answers }
        },
        fail: (e) => {
          const f = e as { errCode?: number; errMsg?: string }
          outcome = {
            tmplIds,
            fail: {
              errMsg: f.errMsg ?? '',
              ...(typeof f.errCode === 'number' ? { errCode: f.errCode } : {}),
            },
          }
        },
        complete: () => {
          outcomes.push(outcome)
          onCall(outcome)
          next(i + 1)
        },
      })
    }
    next(0)
  })
}

/** WeChat's text for a call made outside a tap (its errCode is not documented). */
export function isTapError(errMsg: string): boolean {
  return /TAP gesture/i.test(errMsg)
}
