// Consent reports are claims (issue 10 point 6, issue 15 point 5), over real HTTP on both databases:
// another app's template, an id the app does not have, more ids than one call, an empty report, a
// missing or expired session are refused with a code naming the field; when the app receives
// WeChat's popup events a report no event confirms stops counting after the window, a refusal in
// an event voids a report at once; without events reports count and a 43101 corrects them.
import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../src/testing/test-db.ts'
import { eventually, useTestStack, type TestStack } from '../src/testing/test-stack.ts'
import { createTestTemplate, createTestUser, ORDER_DATA, ORDER_TEMPLATE } from '../src/testing/test-users.ts'
import type { MessageView } from '../src/testing/test-views.ts'

interface Consent {
  template: string
  credits: number
  reported: number
  confirmed: number
  unconfirmedUntil: string | null
}
type ErrorBody = { error: { code: string; details: Record<string, unknown> } }

async function report(stack: TestStack, token: string, body: unknown) {
  const res = await fetch(`${stack.apiUrl}/v1/consents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  })
  return {
    status: res.status,
    body: (await res.json()) as ErrorBody & { consents: Consent[]; mainSwitch: boolean },
  }
}
const consentOf = async (stack: TestStack, userId: string, templateId: string) =>
  (await stack.api<Consent[]>('GET', `/v1/users/${userId}/consents`)).body.find(
    (c) => c.template === templateId,
  )
const send = (stack: TestStack, openid: string) =>
  stack.api<ErrorBody & { id: string }>('POST', '/v1/messages', {
    to: { openid },
    template: 'order_notice',
    data: ORDER_DATA,
  })

describe.each(DB_KINDS)('consent reports without popup events on %s', (kind) => {
  const stack = useTestStack({ kind })
  let templateId: string
  beforeAll(async () => {
    templateId = await createTestTemplate(stack, ORDER_TEMPLATE)
  })

  it('refuses another app’s template, an id the app does not have, more ids than one call, an empty report', async () => {
    const other = await stack.control<{ appid: string }>('/control/apps', {})
    const { priTmplId: foreign } = await stack.control<{ priTmplId: string }>(
      `/control/apps/${other.appid}/templates`,
      {
        title: '别家模板',
        type: 2,
        keywords: [{ key: 'thing1', name: '名称' }],
      },
    )
    const user = await createTestUser(stack)
    const cases: [unknown, number, string, Record<string, unknown>][] = [
      [
        { results: { [foreign]: 'accept' } },
        422,
        'consents.template_unknown',
        { field: `results.${foreign}` },
      ],
      [
        { results: { never_seen_id: 'accept' } },
        422,
        'consents.template_unknown',
        { template: 'never_seen_id' },
      ],
      [
        { results: { [templateId]: 'accept', a: 'accept', b: 'accept', c: 'accept' } },
        422,
        'consents.too_many_templates',
        { field: 'results', max: 3, got: 4 },
      ],
      [{ results: { errMsg: 'requestSubscribeMessage:ok' } }, 422, 'consents.report_empty', {}],
      [
        { fail: { errCode: 20004, templates: [foreign] } },
        422,
        'consents.template_unknown',
        { field: `fail.templates.${foreign}` },
      ],
      [{ results: { [templateId]: 'maybe' } }, 400, 'request.invalid', {}],
    ]
    for (const [body, status, code, details] of cases) {
      const r = await report(stack, user.token, body)
      expect([r.status, r.body.error?.code], JSON.stringify(body)).toEqual([status, code])
      expect(r.body.error.details).toMatchObject(details)
    }
    expect(await consentOf(stack, user.userId, templateId)).toBeUndefined()
  })

  it('refuses a missing, forged or expired session with 401', async () => {
    const user = await createTestUser(stack)
    const body = { results: { [templateId]: 'accept' } }
    const none = await fetch(`${stack.apiUrl}/v1/consents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    expect([none.status, ((await none.json()) as ErrorBody).error.code]).toEqual([
      401,
      'auth.session_missing',
    ])
    const forged = await report(stack, randomBytes(24).toString('base64url'), body)
    expect([forged.status, forged.body.error.code]).toEqual([401, 'auth.session_invalid'])
    await sql`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = ${user.userId}`.execute(
      stack.wxpush.services.db,
    )
    const expired = await report(stack, user.token, body)
    expect([expired.status, expired.body.error.code]).toEqual([401, 'auth.session_invalid'])
  })

  it('counts reports as they come when no event can confirm them; WeChat’s 43101 corrects a forged one', async () => {
    const user = await createTestUser(stack)
    // No popup was ever shown: the report is forged.
    const r = await report(stack, user.token, { results: { [templateId]: 'accept' } })
    expect(r.body.consents).toEqual([
      { template: templateId, credits: 1, status: 'accept', unconfirmedUntil: null },
    ])
    const sent = await send(stack, user.openid)
    expect(sent.status).toBe(202)
    const failed = await eventually(async () => {
      const m = await stack.api<MessageView>('GET', `/v1/messages/${sent.body.id}`)
      return m.body.status === 'failed' ? m.body : undefined
    })
    expect(failed).toMatchObject({ reason: 'user_refused', errcode: 43101 })
    expect(await consentOf(stack, user.userId, templateId)).toMatchObject({ credits: 0 })
  })

  it('takes a 20004 report as the main switch off: sends answer 409 user_switched_off; an accept turns it on', async () => {
    const user = await createTestUser(stack)
    await user.accept([templateId])
    const off = await report(stack, user.token, {
      fail: {
        errCode: 20004,
        errMsg: 'requestSubscribeMessage:fail The main switch is switched off',
        templates: [templateId],
      },
    })
    expect(off.body).toEqual({ consents: [], mainSwitch: false })
    const refused = await send(stack, user.openid)
    expect(refused.status).toBe(409)
    expect(refused.body.error).toMatchObject({
      code: 'messages.user_switched_off',
      details: { template: templateId, reason: 'main_switch_off' },
    })
    const on = await report(stack, user.token, { results: { [templateId]: 'accept' } })
    expect(on.body.mainSwitch).toBe(true)
    expect(on.body.consents[0]?.credits).toBe(2)
    expect((await send(stack, user.openid)).status).toBe(202)
  })
})

describe.each(DB_KINDS)('the user’s subscription settings on %s', (kind) => {
  const stack = useTestStack({ kind })

  it('"always reject" for a long-term template refuses its sends; cleared, they go again; unknown ids are ignored', async () => {
    const longTerm = await createTestTemplate(stack, {
      alias: 'bus_arrival',
      title: '车辆到站提醒',
      type: 3,
      keywords: [{ key: 'thing1', name: '线路' }],
    })
    const user = await createTestUser(stack)
    await user.accept([longTerm])
    const put = (body: unknown) =>
      fetch(`${stack.apiUrl}/v1/me/settings`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }))
    const sendLongTerm = () =>
      stack.api<ErrorBody>('POST', '/v1/messages', {
        to: { openid: user.openid },
        template: 'bus_arrival',
        data: { thing1: '1路' },
      })
    expect((await sendLongTerm()).status).toBe(202)

    const saved = await put({
      mainSwitch: true,
      itemSettings: { [longTerm]: 'reject', SYS_MSG_TYPE_INTERACTIVE: 'accept' },
    })
    expect(saved.body).toEqual({
      mainSwitch: true,
      itemSettings: { [longTerm]: 'reject' },
      ignored: ['SYS_MSG_TYPE_INTERACTIVE'],
    })
    const refused = await sendLongTerm()
    expect(refused.status).toBe(409)
    expect(refused.body.error).toMatchObject({
      code: 'messages.user_switched_off',
      details: { template: longTerm, reason: 'always_reject' },
    })
    const me = await fetch(`${stack.apiUrl}/v1/me/templates`, {
      headers: { authorization: `Bearer ${user.token}` },
    })
    expect(((await me.json()) as unknown[]).find((t) => (t as { id: string }).id === longTerm)).toEqual({
      alias: 'bus_arrival',
      id: longTerm,
      kind: 'long_term',
      title: '车辆到站提醒',
      credits: 0,
      status: 'accept',
      always: 'reject',
    })

    expect((await put({ mainSwitch: true, itemSettings: {} })).status).toBe(200)
    expect((await sendLongTerm()).status).toBe(202)
    const bad = await put({ mainSwitch: 'off' })
    expect([bad.status, (bad.body as ErrorBody).error.code]).toEqual([400, 'request.invalid'])
  })
})

describe.each(DB_KINDS)('consent reports with popup events on %s', (kind) => {
  // A 2-second window keeps the test short; the default is 600 s (docs/config.md).
  const stack = useTestStack({ kind, env: { WXPUSH_CONSENT_CONFIRM_WINDOW_S: '2' } })
  let templateId: string
  beforeAll(async () => {
    templateId = await createTestTemplate(stack, ORDER_TEMPLATE)
    const token = `tok${randomBytes(6).toString('hex')}`
    const encodingAesKey = randomBytes(32).toString('base64').slice(0, 43)
    await stack.wxpush.services.callbackConfigs.set({
      appId: stack.appId,
      token,
      encodingAesKey,
      mode: 'secure',
      format: 'json',
    })
    const url = `${stack.apiUrl}/wechat/callback/${stack.appId}`
    await stack.control(
      `/control/apps/${stack.appId}`,
      { callback: { url, token, encodingAesKey, mode: 'secure', format: 'json' } },
      'PATCH',
    )
  })

  it('a report no event confirms stops counting after the window; a confirmed one stays; replays fall back', async () => {
    const tapped = await createTestUser(stack)
    const forged = await createTestUser(stack)
    const replayed = await createTestUser(stack)
    await tapped.accept([templateId])
    await replayed.accept([templateId])
    for (let i = 0; i < 2; i++) await report(stack, replayed.token, { results: { [templateId]: 'accept' } })
    const r = await report(stack, forged.token, { results: { [templateId]: 'accept' } })
    expect(r.body.consents[0]).toMatchObject({ credits: 1, unconfirmedUntil: expect.any(String) })

    await eventually(async () =>
      (await consentOf(stack, tapped.userId, templateId))?.confirmed === 1 ? true : undefined,
    )
    await eventually(async () =>
      (await consentOf(stack, replayed.userId, templateId))?.confirmed === 1 ? true : undefined,
    )
    expect(await consentOf(stack, tapped.userId, templateId)).toMatchObject({
      credits: 1,
      unconfirmedUntil: null,
    })
    expect(await consentOf(stack, replayed.userId, templateId)).toMatchObject({ reported: 3, confirmed: 1 })

    // The window passes: what no event confirmed no longer counts.
    await eventually(async () =>
      (await consentOf(stack, forged.userId, templateId))?.credits === 0 ? true : undefined,
    )
    await eventually(async () =>
      (await consentOf(stack, replayed.userId, templateId))?.credits === 1 ? true : undefined,
    )
    expect(await consentOf(stack, tapped.userId, templateId)).toMatchObject({ credits: 1 })
    const refused = await send(stack, forged.openid)
    expect([refused.status, refused.body.error.code]).toEqual([409, 'messages.no_credit'])
    expect((await send(stack, tapped.openid)).status).toBe(202)
    // A later report starts a new window from the confirmed count, not from the expired excess.
    const again = await report(stack, forged.token, { results: { [templateId]: 'accept' } })
    expect(again.body.consents[0]).toMatchObject({ credits: 1 })
    expect(await consentOf(stack, forged.userId, templateId)).toMatchObject({ reported: 1, confirmed: 0 })
  })

  it('a refusal in WeChat’s event voids the report it contradicts at once', async () => {
    const user = await createTestUser(stack)
    await report(stack, user.token, { results: { [templateId]: 'accept' } })
    // What WeChat saw: the user refused.
    await stack.control(`/control/apps/${stack.appId}/users/${user.openid}/subscribe`, {
      results: { [templateId]: 'reject' },
    })
    const row = await eventually(async () => {
      const c = await consentOf(stack, user.userId, templateId)
      return c?.reported === 0 ? c : undefined
    })
    expect(row).toMatchObject({ credits: 0, confirmed: 0, unconfirmedUntil: null })
  })
})
