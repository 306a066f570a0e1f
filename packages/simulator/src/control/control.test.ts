import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startTestSim, type TestSim } from '../testing/sim-client.ts'

let t: TestSim
beforeEach(async () => {
  t = await startTestSim()
})
afterEach(() => t.close())

describe('control API (docs/api.md)', () => {
  it('creates an app with a given appid and secret and refuses the same appid twice in zh and en', async () => {
    const r = await t.post('/control/apps', { appid: 'wx1234567890abcdef', secret: '0'.repeat(32) })
    expect(r.json).toMatchObject({ appid: 'wx1234567890abcdef', secret: '0'.repeat(32) })
    const again = await t.post('/control/apps', { appid: 'wx1234567890abcdef' })
    expect(again.status).toBe(409)
    expect(again.json).toMatchObject({ error: { code: 'simulator.app_exists' } })
    expect(String((again.json.error as { message: string }).message)).toMatch(/已存在.*\/.*exists/)
  })

  it('creates users with openid and unionid and answers 404 for an unknown app', async () => {
    const { appid } = (await t.post('/control/apps', {})).json as { appid: string }
    const u = await t.post(`/control/apps/${appid}/users`, {})
    expect(u.json.openid).toMatch(/^o[A-Za-z0-9_-]{27}$/)
    expect(typeof u.json.unionid).toBe('string')
    expect((await t.post('/control/apps/wxnope/users', {})).status).toBe(404)
  })

  it('answers subscribe with what wx.requestSubscribeMessage returns', async () => {
    const { appid, openid } = await t.setup()
    const a = await t.template(appid, 2)
    const b = await t.template(appid, 2)
    const r = await t.post(`/control/apps/${appid}/users/${openid}/subscribe`, {
      results: { [a]: 'accept', [b]: 'reject' },
    })
    expect(r.json).toEqual({ errMsg: 'requestSubscribeMessage:ok', [a]: 'accept', [b]: 'reject' })
    const consents = (await t.get(`/control/apps/${appid}/users/${openid}/consents`))
      .json as unknown as unknown[]
    expect(consents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ templateId: a, status: 'accept', credits: 1 }),
        expect.objectContaining({ templateId: b, status: 'reject', credits: 0 }),
      ]),
    )
  })

  it('fails subscribe like the client API for unknown ids, mixed types and too many ids', async () => {
    const { appid, openid } = await t.setup()
    const once = await t.template(appid, 2)
    const long = await t.template(appid, 3)
    const sub = (results: Record<string, string>) =>
      t.post(`/control/apps/${appid}/users/${openid}/subscribe`, { results })
    expect((await sub({ nope: 'accept' })).json.errCode).toBe(20001)
    expect((await sub({ [once]: 'accept', [long]: 'accept' })).json.errCode).toBe(20002)
    const six: Record<string, string> = {}
    for (let i = 0; i < 6; i++) six[await t.template(appid, 2)] = 'accept'
    expect((await sub(six)).json.errCode).toBe(20003)
  })

  it('moves the simulated clock forward only', async () => {
    const before = (await t.get('/control/clock')).json
    const after = (await t.post('/control/clock', { advanceMs: 60_000 })).json
    expect(after.offsetMs).toBe(Number(before.offsetMs) + 60_000)
    expect((await t.post('/control/clock', { advanceMs: -5 })).status).toBe(400)
  })
})
