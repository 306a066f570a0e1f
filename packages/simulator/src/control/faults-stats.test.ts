import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startTestSim, type TestSim } from '../testing/sim-client.ts'

let t: TestSim
beforeEach(async () => {
  t = await startTestSim()
})
afterEach(() => t.close())

const probe = (token: string) => `/wxaapi/newtmpl/gettemplate?access_token=${token}`

describe('faults and stats', () => {
  it('answers a faulted errcode for count hits and then behaves normally again', async () => {
    const { token } = await t.setup()
    const rules = await t.post('/control/faults', {
      path: '/wxaapi/newtmpl/gettemplate',
      errcode: -1,
      rate: 1,
      count: 2,
    })
    expect(rules.json).toEqual([
      expect.objectContaining({ path: '/wxaapi/newtmpl/gettemplate', errcode: -1, count: 2 }),
    ])
    expect((await t.get(probe(token))).json.errcode).toBe(-1)
    expect((await t.get(probe(token))).json.errcode).toBe(-1)
    expect((await t.get(probe(token))).json.errcode).toBe(0)
    expect((await t.get('/control/faults')).json).toEqual([])
  })

  it('fires a fault at its rate only', async () => {
    await t.close()
    const draws = [0.1, 0.9, 0.1, 0.9]
    let i = 0
    t = await startTestSim({ random: () => draws[i++ % draws.length] ?? 0 })
    const { token } = await t.setup()
    await t.post('/control/faults', { path: '/wxaapi/newtmpl/gettemplate', errcode: 45011, rate: 0.5 })
    const codes = []
    for (let k = 0; k < 4; k++) codes.push((await t.get(probe(token))).json.errcode)
    expect(codes).toEqual([45011, 0, 45011, 0])
  })

  it('answers an HTTP status, drops the connection, or delays the answer', async () => {
    const { token } = await t.setup()
    await t.post('/control/faults', { path: '/wxaapi/newtmpl/gettemplate', status: 502, count: 1 })
    expect((await t.get(probe(token))).status).toBe(502)
    await t.post('/control/faults', { path: '/wxaapi/newtmpl/gettemplate', drop: true, count: 1 })
    await expect(fetch(t.url + probe(token))).rejects.toThrow()
    await t.post('/control/faults', { path: '/wxaapi/newtmpl/gettemplate', delayMs: 30, count: 1 })
    expect((await t.get(probe(token))).json.errcode).toBe(0)
  })

  it('invalidates the tokens of the calling app', async () => {
    const { token } = await t.setup()
    await t.post('/control/faults', { path: '*', invalidateToken: true, count: 1 })
    expect((await t.get(probe(token))).json.errcode).toBe(40001)
  })

  it('delivers the send and then drops the answer when the fault applies after', async () => {
    const s = await t.setup()
    const id = await t.template(s.appid, 3)
    await t.post(`/control/apps/${s.appid}/users/${s.openid}/subscribe`, { results: { [id]: 'accept' } })
    await t.post('/control/faults', {
      path: '/cgi-bin/message/subscribe/send',
      drop: true,
      after: true,
      count: 1,
    })
    const send = fetch(`${t.url}/cgi-bin/message/subscribe/send?access_token=${s.token}`, {
      method: 'POST',
      body: JSON.stringify({ touser: s.openid, template_id: id, data: { thing1: { value: 'x' } } }),
    })
    await expect(send).rejects.toThrow()
    const inbox = (await t.get(`/control/apps/${s.appid}/users/${s.openid}/inbox`))
      .json as unknown as unknown[]
    expect(inbox).toHaveLength(1)
  })

  it('counts calls per WeChat path by errcode and resets', async () => {
    const { token, appid, secret } = await t.setup()
    await t.get(probe(token))
    await t.get(probe('bad'))
    await t.get(`/cgi-bin/token?grant_type=client_credential&appid=${appid}&secret=x`)
    const stats = (await t.get('/control/stats')).json as {
      calls: Record<string, { total: number; errcodes: Record<string, number> }>
    }
    expect(stats.calls['/wxaapi/newtmpl/gettemplate']).toEqual({ total: 2, errcodes: { '0': 1, '40014': 1 } })
    expect(stats.calls['/cgi-bin/token']).toEqual({ total: 2, errcodes: { '0': 1, '40125': 1 } })
    void secret
    await t.del('/control/stats')
    expect(((await t.get('/control/stats')).json as { calls: object }).calls).toEqual({})
  })
})
