import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startTestSim, type TestSim } from '../testing/sim-client.ts'

let t: TestSim
beforeEach(async () => {
  t = await startTestSim()
})
afterEach(() => t.close())

const MIN = 60_000
const tokenUrl = (appid: string, secret: string) =>
  `/cgi-bin/token?grant_type=client_credential&appid=${appid}&secret=${secret}`
const probe = (t: TestSim, token: string) =>
  t.get(`/wxaapi/newtmpl/gettemplate?access_token=${encodeURIComponent(token)}`)

describe('GET /cgi-bin/token', () => {
  it('answers access_token and expires_in 7200 without an errcode', async () => {
    const { appid, secret } = (await t.post('/control/apps', {})).json as { appid: string; secret: string }
    const r = await t.get(tokenUrl(appid, secret))
    expect(r.status).toBe(200)
    expect(r.json.expires_in).toBe(7200)
    expect(typeof r.json.access_token).toBe('string')
    expect('errcode' in r.json).toBe(false)
  })

  it('keeps the previous token valid for five minutes and then answers 40001', async () => {
    const { appid, secret } = (await t.post('/control/apps', {})).json as { appid: string; secret: string }
    const first = String((await t.get(tokenUrl(appid, secret))).json.access_token)
    const second = String((await t.get(tokenUrl(appid, secret))).json.access_token)
    expect(second).not.toBe(first)
    await t.advance(4 * MIN)
    expect((await probe(t, first)).json.errcode).toBe(0)
    await t.advance(1 * MIN + 1)
    const stale = await probe(t, first)
    expect(stale.json.errcode).toBe(40001)
    expect(String(stale.json.errmsg)).toMatch(/not latest.* rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/)
    expect((await probe(t, second)).json.errcode).toBe(0)
  })

  it('answers 42001 for a token past its two hours', async () => {
    const { token } = await t.setup()
    await t.advance(7200 * 1000)
    expect((await probe(t, token)).json.errcode).toBe(42001)
  })

  it('answers 40014 for a malformed token, 40001 for an unknown well-formed one and 41001 for none', async () => {
    expect((await probe(t, 'nonsense')).json.errcode).toBe(40014)
    expect((await probe(t, '93_' + 'a'.repeat(40))).json.errcode).toBe(40001)
    expect((await t.get('/wxaapi/newtmpl/gettemplate')).json.errcode).toBe(41001)
  })

  it('answers the credential errors in the order WeChat checks them', async () => {
    const { appid, secret } = (await t.post('/control/apps', {})).json as { appid: string; secret: string }
    const cases: [string, number][] = [
      [`/cgi-bin/token?grant_type=client_credential&secret=${secret}`, 41002],
      [`/cgi-bin/token?grant_type=client_credential&appid=${appid}`, 41004],
      [`/cgi-bin/token?grant_type=password&appid=${appid}&secret=${secret}`, 40002],
      [tokenUrl('wx0000000000000000', secret), 40013],
      [tokenUrl(appid, 'f'.repeat(32)), 40001],
      [tokenUrl(appid, 'wrong'), 40125],
    ]
    for (const [url, code] of cases) expect((await t.get(url)).json.errcode, url).toBe(code)
  })

  it('answers 45009 past the daily limit of token calls', async () => {
    await t.close()
    t = await startTestSim({ limits: { tokenDaily: 3 } })
    const { appid, secret } = (await t.post('/control/apps', {})).json as { appid: string; secret: string }
    for (let i = 0; i < 3; i++) expect((await t.get(tokenUrl(appid, secret))).json.errcode).toBeUndefined()
    const over = await t.get(tokenUrl(appid, secret))
    expect(over.json.errcode).toBe(45009)
    expect(String(over.json.errmsg)).toContain('getStableAccessToken')
  })

  it('makes every current token answer 40001 after the control invalidation', async () => {
    const { appid, token } = await t.setup()
    await t.post(`/control/apps/${appid}/tokens/invalidate`)
    expect((await probe(t, token)).json.errcode).toBe(40001)
  })
})

describe('POST /cgi-bin/stable_token', () => {
  const stable = (t: TestSim, appid: string, secret: string, force = false) =>
    t.post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid, secret, force_refresh: force })

  it('returns the same token with a shrinking expires_in and rotates it in its last five minutes', async () => {
    const { appid, secret } = (await t.post('/control/apps', {})).json as { appid: string; secret: string }
    const a = await stable(t, appid, secret)
    expect(a.json.expires_in).toBe(7200)
    await t.advance(60 * MIN)
    const b = await stable(t, appid, secret)
    expect(b.json.access_token).toBe(a.json.access_token)
    expect(b.json.expires_in).toBe(3600)
    await t.advance(56 * MIN)
    const c = await stable(t, appid, secret)
    expect(c.json.access_token).not.toBe(a.json.access_token)
    expect(c.json.expires_in).toBe(7200)
    expect((await probe(t, String(a.json.access_token))).json.errcode).toBe(0)
    await t.advance(4 * MIN)
    expect((await probe(t, String(a.json.access_token))).json.errcode).toBe(42001)
  })

  it('force_refresh mints a new token, kills the old one at once, and does nothing inside 30 seconds', async () => {
    const { appid, secret } = (await t.post('/control/apps', {})).json as { appid: string; secret: string }
    const a = String((await stable(t, appid, secret)).json.access_token)
    const b = String((await stable(t, appid, secret, true)).json.access_token)
    expect(b).not.toBe(a)
    // "强制刷新…会使上次获取的 access_token 失效": no grace for the previous token
    expect((await probe(t, a)).json.errcode).toBe(40001)
    const again = String((await stable(t, appid, secret, true)).json.access_token)
    expect(again).toBe(b)
    expect((await probe(t, b)).json.errcode).toBe(0)
  })

  it('answers 45011 past the per-minute limit and 45009 past the daily one', async () => {
    const limited = await startTestSim({ limits: { stableTokenPerMinute: 2, stableTokenDaily: 3 } })
    try {
      const app = (await limited.post('/control/apps', {})).json as { appid: string; secret: string }
      expect((await stable(limited, app.appid, app.secret)).json.access_token).toBeDefined()
      expect((await stable(limited, app.appid, app.secret)).json.access_token).toBeDefined()
      expect((await stable(limited, app.appid, app.secret)).json.errcode).toBe(45011)
      await limited.advance(MIN)
      // the call refused for the minute was not counted against the day
      expect((await stable(limited, app.appid, app.secret)).json.access_token).toBeDefined()
      expect((await stable(limited, app.appid, app.secret)).json.errcode).toBe(45009)
    } finally {
      await limited.close()
    }
  })

  it('refuses a 21st force refresh in one day with 45009', async () => {
    const { appid, secret } = (await t.post('/control/apps', {})).json as { appid: string; secret: string }
    for (let i = 0; i < 20; i++) {
      expect((await stable(t, appid, secret, true)).json.access_token).toBeDefined()
      await t.advance(31_000)
    }
    expect((await stable(t, appid, secret, true)).json.errcode).toBe(45009)
  })

  it('keeps classic and stable tokens isolated from each other', async () => {
    const { appid, secret } = (await t.post('/control/apps', {})).json as { appid: string; secret: string }
    const s = String((await stable(t, appid, secret)).json.access_token)
    for (let i = 0; i < 3; i++) await t.get(tokenUrl(appid, secret))
    await t.advance(10 * MIN)
    expect((await probe(t, s)).json.errcode).toBe(0)
    const c = String((await t.get(tokenUrl(appid, secret))).json.access_token)
    await stable(t, appid, secret, true)
    await t.advance(10 * MIN)
    expect((await probe(t, c)).json.errcode).toBe(0)
  })

  it('answers 47001 for a body that is not JSON and 43002 for GET', async () => {
    expect((await t.post('/cgi-bin/stable_token', 'not json')).json.errcode).toBe(47001)
    expect((await t.get('/cgi-bin/stable_token')).json.errcode).toBe(43002)
  })
})
