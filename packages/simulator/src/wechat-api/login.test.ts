import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startTestSim, type TestSim } from '../testing/sim-client.ts'

let t: TestSim
beforeEach(async () => {
  t = await startTestSim()
})
afterEach(() => t.close())

const session = (appid: string, secret: string, code: string) =>
  `/sns/jscode2session?appid=${appid}&secret=${secret}&js_code=${code}&grant_type=authorization_code`

describe('GET /sns/jscode2session', () => {
  it('exchanges a login code for openid, unionid and session_key without an errcode', async () => {
    const { appid, secret, openid } = await t.setup()
    const { code } = (await t.post(`/control/apps/${appid}/users/${openid}/login`)).json as { code: string }
    const r = await t.get(session(appid, secret, code))
    expect(r.json.openid).toBe(openid)
    expect(typeof r.json.session_key).toBe('string')
    expect(typeof r.json.unionid).toBe('string')
    expect('errcode' in r.json).toBe(false)
  })

  it('answers 40163 for a code used twice and 40029 for an unknown or expired code', async () => {
    const { appid, secret, openid } = await t.setup()
    const login = async () => String((await t.post(`/control/apps/${appid}/users/${openid}/login`)).json.code)
    const code = await login()
    await t.get(session(appid, secret, code))
    expect((await t.get(session(appid, secret, code))).json.errcode).toBe(40163)
    expect((await t.get(session(appid, secret, 'nope'))).json.errcode).toBe(40029)
    const old = await login()
    await t.advance(5 * 60_000)
    expect((await t.get(session(appid, secret, old))).json.errcode).toBe(40029)
  })

  it('refuses a code of another app with 40029', async () => {
    const a = await t.setup()
    const b = await t.setup()
    const { code } = (await t.post(`/control/apps/${a.appid}/users/${a.openid}/login`)).json as {
      code: string
    }
    expect((await t.get(session(b.appid, b.secret, code))).json.errcode).toBe(40029)
  })

  it('answers 40226 for a user flagged high-risk', async () => {
    const { appid, secret, openid } = await t.setup()
    await t.post(`/control/apps/${appid}/users/${openid}/risk`, { highRisk: true })
    const { code } = (await t.post(`/control/apps/${appid}/users/${openid}/login`)).json as { code: string }
    expect((await t.get(session(appid, secret, code))).json.errcode).toBe(40226)
  })

  it('answers 45011 past the per-user minute limit and recovers the next minute', async () => {
    await t.close()
    t = await startTestSim({ limits: { loginPerUserPerMinute: 2 } })
    const { appid, secret, openid } = await t.setup()
    const attempt = async () => {
      const { code } = (await t.post(`/control/apps/${appid}/users/${openid}/login`)).json as { code: string }
      return (await t.get(session(appid, secret, code))).json
    }
    expect((await attempt()).openid).toBe(openid)
    expect((await attempt()).openid).toBe(openid)
    expect((await attempt()).errcode).toBe(45011)
    await t.advance(60_000)
    expect((await attempt()).openid).toBe(openid)
  })

  it('answers 41002, 41004, 41008 and 40125 for missing or wrong parameters', async () => {
    const { appid, secret } = await t.setup()
    expect(
      (await t.get(`/sns/jscode2session?secret=${secret}&js_code=x&grant_type=authorization_code`)).json
        .errcode,
    ).toBe(41002)
    expect(
      (await t.get(`/sns/jscode2session?appid=${appid}&js_code=x&grant_type=authorization_code`)).json
        .errcode,
    ).toBe(41004)
    expect(
      (await t.get(`/sns/jscode2session?appid=${appid}&secret=${secret}&grant_type=authorization_code`)).json
        .errcode,
    ).toBe(41008)
    expect((await t.get(session(appid, 'bad', 'x'))).json.errcode).toBe(40125)
    expect((await t.post(session(appid, secret, 'x'))).json.errcode).toBe(41002)
  })
})
