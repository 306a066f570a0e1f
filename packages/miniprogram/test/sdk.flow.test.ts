// The SDK as built (miniprogram_dist, the ES2015 files WeChat DevTools takes) under a fake `wx`,
// against `npm run dev`'s stack (simulator + wxpush, seeded demo world), on both databases.
import { startDevStack, DB_KINDS, type DevStack } from '@wxpush/server/testing/dev-stack'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createWxpush, type WxpushError } from '../miniprogram_dist/index.js'
import { createFakeWx, type FakeWx } from './fake-wx.ts'

interface ConsentView {
  template: string
  credits: number
  reported: number
  confirmed: number
  used: number
  always: string | null
  switchedOff: string | null
}

async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const v = await probe()
    if (v !== undefined) return v
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe.each(DB_KINDS)('@wxpush/miniprogram against the dev stack on %s', (kind) => {
  let stack: DevStack
  let failed = false
  beforeAll(async () => {
    stack = await startDevStack({ kind })
  }, 120_000)
  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail') failed = true
  })
  afterAll(async () => {
    await stack?.close(failed)
  })

  /** A new simulated user with a phone (fake wx) and the SDK on it. */
  async function phone(opts: { idsPerCall?: number } = {}) {
    const { appId, simulatorUrl, apiUrl } = stack.info
    const { openid } = await stack.control<{ openid: string }>(`/control/apps/${appId}/users`)
    const fake: FakeWx = createFakeWx({ simulatorUrl, appId, openid })
    fake.install()
    const wxpush = createWxpush({ baseUrl: apiUrl, appId, ...opts })
    return { openid, fake, wxpush }
  }
  const consents = async (userId: string) =>
    (await stack.api<ConsentView[]>('GET', `/v1/users/${userId}/consents`)).body
  const checkin = () => stack.info.templates.checkin_reminder!
  const send = (openid: string) =>
    stack.api<{ id: string; status: string; error?: { code: string; details: Record<string, unknown> } }>(
      'POST',
      '/v1/messages',
      {
        to: { openid },
        template: 'checkin_reminder',
        data: {
          time24: '2019年11月11日 20:20',
          time27: '2019年11月11日 22:00',
          thing21: '周末读书会',
          thing23: '签到成功，散会后即可离开',
        },
      },
    )

  it('logs in, subscribes from a tap, the ledger counts the report and the popup event once, a send arrives', async () => {
    const { openid, fake, wxpush } = await phone()
    const { userId } = await wxpush.login()
    expect(await wxpush.needsConsent('checkin_reminder')).toBe(true)
    const answer = await fake.tap(() => wxpush.subscribe(['checkin_reminder']))
    expect(answer.results).toEqual([{ template: 'checkin_reminder', id: checkin(), result: 'accept' }])
    expect(answer.credits.checkin_reminder).toBe(1)
    const row = await eventually(async () => {
      const c = (await consents(userId)).find((x) => x.template === checkin())
      return c && c.confirmed === 1 ? c : undefined
    }, 'the popup event to confirm the report')
    expect(row).toMatchObject({ reported: 1, confirmed: 1, credits: 1 })
    expect(await wxpush.needsConsent('checkin_reminder')).toBe(false)

    const sent = await send(openid)
    expect(sent.status).toBe(202)
    await eventually(async () => {
      const inbox = await stack.control<{ templateId: string }[]>(
        `/control/apps/${stack.info.appId}/users/${openid}/inbox`,
        undefined,
        'GET',
      )
      return inbox.length === 1 && inbox[0]!.templateId === checkin() ? true : undefined
    }, 'the card in the simulated phone')
    expect(await wxpush.needsConsent('checkin_reminder')).toBe(true)
    expect((await send(openid)).body.error?.code).toBe('messages.no_credit')
  })

  it('says clearly when called outside a tap, and reports nothing', async () => {
    const { wxpush } = await phone()
    const { userId } = await wxpush.login()
    const err = (await wxpush.subscribe('checkin_reminder').catch((e: unknown) => e)) as WxpushError
    expect(err.code).toBe('miniprogram.not_in_tap')
    expect(err.zh).toMatch(/点击/)
    expect(err.en).toMatch(/tap handler/)
    expect(await consents(userId)).toEqual([])
  })

  it('splits more than 3 templates into calls of at most 3 and reports every answer', async () => {
    const { appId } = stack.info
    const { priTmplId } = await stack.control<{ priTmplId: string }>(`/control/apps/${appId}/templates`, {
      title: '预约成功通知',
      type: 2,
      keywords: [
        { key: 'thing1', name: '项目' },
        { key: 'time2', name: '时间' },
      ],
    })
    await stack.wxpush.services.templates.sync(appId)
    const { fake, wxpush } = await phone()
    const { userId } = await wxpush.login()
    fake.user.choose = (id) => (id === stack.info.templates.order_notice ? 'reject' : 'accept')
    const all = ['checkin_reminder', 'order_notice', 'class_notice', priTmplId]
    const answer = await fake.tap(() => wxpush.subscribe(all))
    expect(fake.subscribeCalls.map((c) => c.length)).toEqual([3, 1])
    expect(answer.results.map((r) => [r.template, r.result])).toEqual([
      ['checkin_reminder', 'accept'],
      ['order_notice', 'reject'],
      ['class_notice', 'accept'],
      [priTmplId, 'accept'],
    ])
    const rows = await consents(userId)
    expect(rows.map((r) => r.template).sort()).toEqual(
      [...all.slice(0, 3).map((a) => stack.info.templates[a]!), priTmplId].sort(),
    )
    expect(answer.credits).toMatchObject({ checkin_reminder: 1, order_notice: 0, class_notice: 1 })
  })

  it('reports the main switch off (20004): the server refuses sends with user_switched_off, without WeChat', async () => {
    const { openid, fake, wxpush } = await phone()
    const { userId } = await wxpush.login()
    await fake.tap(() => wxpush.subscribe('checkin_reminder'))
    await stack.control(`/control/apps/${stack.info.appId}/users/${openid}/settings`, { mainSwitch: false })
    const answer = await fake.tap(() => wxpush.subscribe('checkin_reminder'))
    expect(answer.results).toEqual([
      expect.objectContaining({
        result: 'fail',
        errCode: 20004,
        errMsg: 'requestSubscribeMessage:fail The main switch is switched off',
      }),
    ])
    expect(answer.credits.checkin_reminder).toBe(0)
    const before = await stack.control<{ calls: Record<string, { total: number }> }>(
      '/control/stats',
      undefined,
      'GET',
    )
    const refused = await send(openid)
    expect(refused.status).toBe(409)
    expect(refused.body.error).toMatchObject({
      code: 'messages.user_switched_off',
      details: { reason: 'main_switch_off' },
    })
    const after = await stack.control<{ calls: Record<string, { total: number }> }>(
      '/control/stats',
      undefined,
      'GET',
    )
    expect(after.calls['/cgi-bin/message/subscribe/send']?.total).toBe(
      before.calls['/cgi-bin/message/subscribe/send']?.total,
    )
    expect(
      (await stack.api<{ subscriptions: unknown }>('GET', `/v1/users/${userId}`)).body.subscriptions,
    ).toMatchObject({
      mainSwitch: false,
    })
    expect((await consents(userId))[0]).toMatchObject({ switchedOff: 'main_switch_off', credits: 0 })

    // Switched back on in WeChat's settings; syncSettings tells the server; the credit is usable again.
    await stack.control(`/control/apps/${stack.info.appId}/users/${openid}/settings`, { mainSwitch: true })
    expect(await wxpush.syncSettings()).toEqual({ mainSwitch: true, itemSettings: {} })
    expect((await send(openid)).status).toBe(202)
  })

  it('syncs "always keep" choices: always reject refuses sends, always accept is shown and still counted per tap', async () => {
    const { openid, fake, wxpush } = await phone()
    const { userId } = await wxpush.login()
    fake.user.keep = true
    fake.user.choose = (id) => (id === checkin() ? 'accept' : 'reject')
    await fake.tap(() => wxpush.subscribe(['checkin_reminder', 'class_notice']))
    fake.user.choose = () => 'reject' // kept choices answer instead: no popup
    const again = await fake.tap(() => wxpush.subscribe(['checkin_reminder', 'class_notice']))
    expect(again.results.map((r) => r.result)).toEqual(['accept', 'reject'])
    const synced = await wxpush.syncSettings()
    expect(synced).toEqual({
      mainSwitch: true,
      itemSettings: { [checkin()]: 'accept', [stack.info.templates.class_notice!]: 'reject' },
    })
    const rows = await consents(userId)
    expect(rows.find((r) => r.template === checkin())).toMatchObject({
      always: 'accept',
      credits: 2,
      switchedOff: null,
    })
    expect(rows.find((r) => r.template === stack.info.templates.class_notice)).toMatchObject({
      always: 'reject',
      switchedOff: 'always_reject',
    })
    const cls = await stack.api<{ error: { code: string; details: { reason: string } } }>(
      'POST',
      '/v1/messages',
      {
        to: { openid },
        template: 'class_notice',
        data: { phrase1: '王小二', date5: '2019年10月1日 15:01', phrase4: '王老师' },
      },
    )
    expect(cls.status).toBe(409)
    expect(cls.body.error).toMatchObject({
      code: 'messages.user_switched_off',
      details: { reason: 'always_reject' },
    })
  })

  it('reports 10005 (app in the background) as a failure that grants nothing', async () => {
    const { fake, wxpush } = await phone()
    await wxpush.login()
    fake.background = true
    const answer = await fake.tap(() => wxpush.subscribe('checkin_reminder'))
    expect(answer.results[0]).toMatchObject({ result: 'fail', errCode: 10005 })
    expect(answer.credits.checkin_reminder).toBe(0)
  })

  it('logs in again by itself once on 401; a second failure surfaces', async () => {
    const { fake, wxpush } = await phone()
    await wxpush.login()
    const key = `wxpush:session:${stack.info.appId}`
    const session = fake.storage.get(key) as { token: string }
    fake.storage.set(key, { ...session, token: 'expired-or-forged' })
    expect(await wxpush.credits()).toMatchObject({ checkin_reminder: 0 })
    expect((fake.storage.get(key) as { token: string }).token).not.toBe('expired-or-forged')

    fake.storage.set(key, { ...session, token: 'expired-or-forged' })
    fake.breakLogin = true
    const err = (await wxpush.credits().catch((e: unknown) => e)) as WxpushError
    expect(err.code).toBe('auth.code_invalid')
    expect(err.status).toBe(400)
  })

  it('refuses an unknown template before any popup', async () => {
    const { fake, wxpush } = await phone()
    await wxpush.login()
    const err = (await fake
      .tap(() => wxpush.subscribe('no_such_alias'))
      .catch((e: unknown) => e)) as WxpushError
    expect(err.code).toBe('miniprogram.unknown_template')
    expect(fake.subscribeCalls).toEqual([])
  })
})
