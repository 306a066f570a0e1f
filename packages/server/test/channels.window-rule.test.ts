// One corpus through both encodings of WeChat's customer-service window rule (source: the official
// "客服消息下发条件", https://developers.weixin.qq.com/miniprogram/dev/framework/open-ability/customer-message/send.html,
// and its copy on counts not adding up, https://blog.csdn.net/zhoupenghui168/article/details/130198851):
// the simulator (over HTTP, its clock frozen and moved by the test) and @wxpush/wechat's
// openCustomerServiceWindow / customerServiceWindowState, which wxpush's window store uses. The test
// fails when they disagree on any send of any sequence. No database.
import { createSimulator, type Simulator } from '@wxpush/simulator'
import {
  CLOSED_WINDOW,
  customerServiceWindowState,
  openCustomerServiceWindow,
  type CustomerServiceWindow,
} from '@wxpush/wechat'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

type Step = { kind: 'message' | 'session' | 'send'; afterMs: number }

const BASE = Date.UTC(2026, 0, 5, 2, 0, 0)
const ANSWER = { open: 0, closed: 45015, used_up: 45047 } as const

const CORPUS: Step[][] = [
  // 5 within 48 h of the user's message, then 45047
  [
    { kind: 'message', afterMs: 0 },
    ...Array.from({ length: 6 }, () => ({ kind: 'send' as const, afterMs: 1000 })),
  ],
  // 2 within 1 min of entering, then 45047; after the minute 45015
  [
    { kind: 'session', afterMs: 0 },
    { kind: 'send', afterMs: 10_000 },
    { kind: 'send', afterMs: 10_000 },
    { kind: 'send', afterMs: 10_000 },
    { kind: 'session', afterMs: 1000 },
    { kind: 'send', afterMs: 61_000 },
  ],
  // counts never add up: two messages still allow 5
  [
    { kind: 'message', afterMs: 0 },
    { kind: 'message', afterMs: 1000 },
    ...Array.from({ length: 6 }, () => ({ kind: 'send' as const, afterMs: 1000 })),
  ],
  // entering the session inside a 48 h window with 1 left: 2 more, until the 48 h end
  [
    { kind: 'message', afterMs: 0 },
    ...Array.from({ length: 4 }, () => ({ kind: 'send' as const, afterMs: 1000 })),
    { kind: 'session', afterMs: 1000 },
    { kind: 'send', afterMs: 120_000 },
    { kind: 'send', afterMs: 1000 },
    { kind: 'send', afterMs: 1000 },
  ],
  // 48 h later: closed
  [
    { kind: 'message', afterMs: 0 },
    { kind: 'send', afterMs: 48 * 3_600_000 },
  ],
]

const step = fc.record({
  kind: fc.constantFrom<Step['kind']>('message', 'session', 'send', 'send', 'send'),
  afterMs: fc.oneof(
    fc.integer({ min: 0, max: 70_000 }),
    fc.constantFrom(59_999, 60_000, 48 * 3_600_000 - 1, 48 * 3_600_000),
  ),
})

describe('the customer-service window rule: the simulator and @wxpush/wechat agree', () => {
  let sim: Simulator
  let url: string

  beforeAll(async () => {
    sim = createSimulator({ now: () => BASE })
    url = await sim.listen()
  })
  afterAll(() => sim.close())

  const post = async (path: string, body: unknown) => {
    const r = await fetch(url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    return (await r.json()) as Record<string, unknown>
  }

  /** Plays the steps in a fresh app; answers the errcode of each send. */
  async function simulate(steps: Step[]): Promise<number[]> {
    const app = (await post('/control/apps', {})) as { appid: string; secret: string }
    const { openid } = (await post(`/control/apps/${app.appid}/users`, {})) as { openid: string }
    const answers: number[] = []
    for (const s of steps) {
      if (s.afterMs > 0) await post('/control/clock', { advanceMs: s.afterMs })
      if (s.kind === 'message')
        await post(`/control/apps/${app.appid}/users/${openid}/messages`, { content: 'hi' })
      else if (s.kind === 'session')
        await post(`/control/apps/${app.appid}/users/${openid}/messages`, { event: 'user_enter_tempsession' })
      else {
        const t = await fetch(
          `${url}/cgi-bin/token?grant_type=client_credential&appid=${app.appid}&secret=${app.secret}`,
        )
        const token = String(((await t.json()) as { access_token: string }).access_token)
        const r = await post(`/cgi-bin/message/custom/send?access_token=${token}`, {
          touser: openid,
          msgtype: 'text',
          text: { content: 'ok' },
        })
        answers.push(Number(r.errcode))
      }
    }
    return answers
  }

  /** The same steps through the package's rule (a send that is allowed takes one). */
  function fold(steps: Step[]): number[] {
    let at = 0
    let w: CustomerServiceWindow = CLOSED_WINDOW
    const answers: number[] = []
    for (const s of steps) {
      at += s.afterMs
      if (s.kind !== 'send') w = openCustomerServiceWindow(w, at, s.kind)
      else {
        const state = customerServiceWindowState(w, at)
        answers.push(ANSWER[state])
        if (state === 'open') w = { ...w, left: w.left - 1 }
      }
    }
    return answers
  }

  it.each(CORPUS.map((c, i) => [i, c] as const))('corpus sequence %i', async (_i, steps) => {
    expect(await simulate(steps)).toEqual(fold(steps))
  })

  it('random sequences', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        expect(await simulate(steps)).toEqual(fold(steps))
      }),
      { numRuns: 40 },
    )
  }, 60_000)
})
