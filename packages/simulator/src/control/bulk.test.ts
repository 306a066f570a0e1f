import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startTestSim, type TestSim } from '../testing/sim-client.ts'

let t: TestSim
beforeEach(async () => {
  t = await startTestSim()
})
afterEach(() => t.close())

describe('bulk users (a seeding shortcut)', () => {
  it('creates users who may receive exactly the granted number of one-time sends', async () => {
    const { appid, token } = await t.setup()
    const tmpl = await t.template(appid, 2)
    const bulk = await t.post(`/control/apps/${appid}/users/bulk`, { count: 3, credits: { [tmpl]: 2 } })
    const openids = bulk.json.openids as string[]
    expect(openids).toHaveLength(3)
    const send = (touser: string) =>
      t.post(`/cgi-bin/message/subscribe/send?access_token=${token}`, {
        touser,
        template_id: tmpl,
        data: { thing1: { value: '合同A' } },
      })
    const answers = [await send(openids[0]!), await send(openids[0]!), await send(openids[0]!)]
    expect(answers.map((a) => a.json.errcode)).toEqual([0, 0, 43101])
  })

  it('refuses a bad count or an unknown template with a named field', async () => {
    const { appid } = await t.setup()
    const bad = await t.post(`/control/apps/${appid}/users/bulk`, { count: 0 })
    expect(bad.status).toBe(400)
    expect(bad.json).toMatchObject({ error: { code: 'simulator.invalid_body', details: { field: 'count' } } })
    const unknown = await t.post(`/control/apps/${appid}/users/bulk`, { count: 1, credits: { nope: 1 } })
    expect(unknown.status).toBe(404)
  })
})
