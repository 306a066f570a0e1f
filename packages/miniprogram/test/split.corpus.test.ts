// One corpus through both sides of one WeChat rule: the SDK's split of a template list into
// wx.requestSubscribeMessage calls, and the simulator's checks of a call (20002 when one-time and
// long-term ids are mixed, 20003 above the per-call limit: 3 in older base libraries, 5 since 3.12.1;
// https://developers.weixin.qq.com/miniprogram/dev/api/open-api/subscribe-message/wx.requestSubscribeMessage.html).
// Every call the SDK would make must pass the simulator, and every template must be asked once.
import { createSimulator } from '@wxpush/simulator'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { splitCalls } from '../miniprogram_dist/subscribe.js'

describe.each([3, 5])('the SDK’s calls against the simulator’s rules, %i ids per call', (perCall) => {
  const sim = createSimulator({ limits: { subscribeIdsPerCall: perCall } })
  let url: string
  let user: string
  const oneTime: string[] = []
  const longTerm: string[] = []
  const post = async (path: string, body: unknown) => {
    const res = await fetch(url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    return { status: res.status, body: (await res.json()) as Record<string, unknown> }
  }

  beforeAll(async () => {
    url = await sim.listen()
    const { appid } = (await post('/control/apps', {})).body as { appid: string }
    const { openid } = (await post(`/control/apps/${appid}/users`, {})).body as { openid: string }
    user = `/control/apps/${appid}/users/${openid}`
    for (let i = 0; i < 8; i++)
      for (const [type, list] of [
        [2, oneTime],
        [3, longTerm],
      ] as const) {
        const r = await post(`/control/apps/${appid}/templates`, {
          title: `模板${type}-${i}`,
          type,
          keywords: [{ key: 'thing1', name: '名称' }],
        })
        list.push(String(r.body.priTmplId))
      }
  })
  afterAll(() => sim.close())

  it('never makes a call the simulator refuses, and asks for each template once', async () => {
    const pick = fc.uniqueArray(
      fc.oneof(
        fc.nat(7).map((i) => ({ id: oneTime[i]!, kind: 'one_time' as const })),
        fc.nat(7).map((i) => ({ id: longTerm[i]!, kind: 'long_term' as const })),
      ),
      { minLength: 1, maxLength: 12, selector: (t) => t.id },
    )
    await fc.assert(
      fc.asyncProperty(pick, async (templates) => {
        const calls = splitCalls(templates, perCall)
        expect(calls.flat().sort()).toEqual(templates.map((t) => t.id).sort())
        for (const ids of calls) {
          const r = await post(`${user}/subscribe`, {
            results: Object.fromEntries(ids.map((id) => [id, 'reject'])),
          })
          expect(r.status, JSON.stringify(r.body)).toBe(200)
        }
      }),
      { numRuns: 40 },
    )
  }, 60_000)

  it('the simulator does refuse what the split avoids (so the check above can fail)', async () => {
    const tooMany = oneTime.slice(0, perCall + 1)
    const mixed = [oneTime[0]!, longTerm[0]!]
    const r1 = await post(`${user}/subscribe`, {
      results: Object.fromEntries(tooMany.map((id) => [id, 'reject'])),
    })
    const r2 = await post(`${user}/subscribe`, {
      results: Object.fromEntries(mixed.map((id) => [id, 'reject'])),
    })
    expect([r1.body.errCode, r2.body.errCode]).toEqual([20003, 20002])
  })
})
