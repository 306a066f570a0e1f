import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startTestSim, type TestSim } from '../testing/sim-client.ts'

let t: TestSim
beforeEach(async () => {
  t = await startTestSim()
})
afterEach(() => t.close())

const sendPath = (token: string) => `/cgi-bin/message/subscribe/send?access_token=${token}`
const goodData = { thing1: { value: '无线耳机' } }

async function world(opts: { pages?: string[] } = {}) {
  const s = await t.setup(opts)
  const once = await t.template(s.appid, 2)
  const long = await t.template(s.appid, 3)
  const subscribe = (results: Record<string, string>) =>
    t.post(`/control/apps/${s.appid}/users/${s.openid}/subscribe`, { results })
  const send = (template_id: string, extra: Record<string, unknown> = {}) =>
    t.post(sendPath(s.token), { touser: s.openid, template_id, data: goodData, ...extra })
  return { ...s, once, long, subscribe, send }
}

describe('POST /cgi-bin/message/subscribe/send', () => {
  it('answers errcode 0 with a bare 64-bit msgid and puts the message in the inbox', async () => {
    const w = await world()
    await w.subscribe({ [w.once]: 'accept' })
    const r = await w.send(w.once, {
      page: 'pages/order/index?id=1',
      lang: 'en_US',
      miniprogram_state: 'trial',
    })
    expect(r.text).toMatch(/^\{"errcode":0,"errmsg":"ok","msgid":3\d{18}\}$/)
    const msgid = /"msgid":(\d+)/.exec(r.text)?.[1]
    expect(BigInt(msgid ?? '0') > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true)
    const inbox = (await t.get(`/control/apps/${w.appid}/users/${w.openid}/inbox`)).json as unknown as Record<
      string,
      unknown
    >[]
    expect(inbox).toHaveLength(1)
    expect(inbox[0]).toMatchObject({
      msgid,
      templateId: w.once,
      page: 'pages/order/index?id=1',
      data: goodData,
      miniprogramState: 'trial',
      lang: 'en_US',
    })
  })

  it('lets one accept of a one-time template allow exactly one send and answers 43101 after', async () => {
    const w = await world()
    expect((await w.send(w.once)).json.errcode).toBe(43101)
    await w.subscribe({ [w.once]: 'accept' })
    await w.subscribe({ [w.once]: 'acceptWithAudio' })
    expect((await w.send(w.once)).json.errcode).toBe(0)
    expect((await w.send(w.once)).json.errcode).toBe(0)
    expect((await w.send(w.once)).json.errcode).toBe(43101)
  })

  it('lets a long-term template send repeatedly until the user switches it off in settings', async () => {
    const w = await world()
    await w.subscribe({ [w.long]: 'accept' })
    for (let i = 0; i < 5; i++) expect((await w.send(w.long)).json.errcode).toBe(0)
    await t.post(`/control/apps/${w.appid}/users/${w.openid}/settings`, {
      templateId: w.long,
      status: 'reject',
    })
    expect((await w.send(w.long)).json.errcode).toBe(43101)
  })

  it('answers 43101 for rejected and banned templates', async () => {
    const w = await world()
    const other = await t.template(w.appid, 2)
    await w.subscribe({ [w.once]: 'reject', [other]: 'ban' })
    expect((await w.send(w.once)).json.errcode).toBe(43101)
    expect((await w.send(other)).json.errcode).toBe(43101)
  })

  it('does not use a one-time credit on a failed send', async () => {
    const w = await world()
    await w.subscribe({ [w.once]: 'accept' })
    expect((await w.send(w.once, { data: { thing1: { value: '' } } })).json.errcode).toBe(47003)
    expect((await w.send(w.once)).json.errcode).toBe(0)
  })

  it('answers each error branch in the order WeChat checks them', async () => {
    const w = await world({ pages: ['pages/index/index'] })
    const other = await t.setup()
    const otherTemplate = await t.template(other.appid, 2)
    await w.subscribe({ [w.once]: 'accept' })
    const cases: [Record<string, unknown>, number, RegExp?][] = [
      [{ touser: 'oNobody' }, 40003],
      [{ touser: other.openid }, 40003],
      [{ template_id: 'nope' }, 40037],
      [{ template_id: otherTemplate }, 40037],
      [{ data: { 'thing1.DATA': { value: 'x' } } }, 47003, /data\.thing1\.value is emtpy/],
      [
        { data: { thing1: { value: 'x'.repeat(21) } } },
        47003,
        /^argument invalid! data\.thing1\.value invalid rid: /,
      ],
      [{ page: 'pages/missing/index' }, 41030],
      [{ page: '/pages/index/index' }, 41030],
      [{ miniprogram_state: 'beta' }, 47003, /miniprogram_state/],
      [{ lang: 'fr_FR' }, 47003, /lang/],
    ]
    for (const [patch, code, msg] of cases) {
      const r = await t.post(sendPath(w.token), {
        touser: w.openid,
        template_id: w.once,
        data: goodData,
        ...patch,
      })
      expect(r.json.errcode, JSON.stringify(patch)).toBe(code)
      if (msg) expect(String(r.json.errmsg)).toMatch(msg)
    }
    expect((await w.send(w.once, { page: 'pages/index/index?from=push' })).json.errcode).toBe(0)
    expect((await t.post(sendPath(''), {})).json.errcode).toBe(41001)
    expect((await t.post(sendPath(w.token), 'not json')).json.errcode).toBe(47001)
  })

  it('accepts any page when the app was created without a page list', async () => {
    const w = await world()
    await w.subscribe({ [w.once]: 'accept' })
    expect((await w.send(w.once, { page: 'pages/anything/here' })).json.errcode).toBe(0)
  })

  it('answers 45009 past the daily send quota', async () => {
    await t.close()
    t = await startTestSim({ limits: { subscribeSendDaily: 1 } })
    const w = await world()
    await w.subscribe({ [w.long]: 'accept' })
    expect((await w.send(w.long)).json.errcode).toBe(0)
    expect((await w.send(w.long)).json.errcode).toBe(45009)
  })

  it('never lets successful sends of a one-time template exceed its accepts', async () => {
    const w = await world()
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('accept', 'reject', 'send'), { maxLength: 25 }),
        async (steps) => {
          const id = await t.template(w.appid, 2)
          let accepts = 0
          let sent = 0
          for (const step of steps) {
            if (step === 'send') {
              if ((await w.send(id)).json.errcode === 0) sent++
            } else {
              await w.subscribe({ [id]: step })
              if (step === 'accept') accepts++
            }
            expect(sent).toBeLessThanOrEqual(accepts)
          }
          const remaining = steps.filter((s) => s === 'accept').length - sent
          for (let i = 0; i < remaining; i++) expect((await w.send(id)).json.errcode).toBe(0)
          expect((await w.send(id)).json.errcode).toBe(43101)
        },
      ),
      { numRuns: 30 },
    )
  })
})
