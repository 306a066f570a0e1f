// Message push end to end, over real HTTP on both databases: the simulator pushes WeChat's events to
// /wechat/callback/:appId in every mode and format, and wxpush acts on them: popup → verified consent
// (without the mini program reporting it), sent → delivered / failed, change → switched off,
// user message / session → the customer-service window.
import { randomBytes } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { pointSimulatorCallbacks } from '../src/testing/test-callbacks.ts'
import { DB_KINDS } from '../src/testing/test-db.ts'
import { eventually, useTestStack } from '../src/testing/test-stack.ts'
import { createTestTemplate, createTestUser, ORDER_DATA, ORDER_TEMPLATE } from '../src/testing/test-users.ts'
import type { MessageView } from '../src/testing/test-views.ts'

interface Consent {
  template: string
  credits: number
  reported: number
  confirmed: number
  status: string
  source: string
}

const COMBINATIONS = [
  ['plain', 'json'],
  ['plain', 'xml'],
  ['compatible', 'json'],
  ['compatible', 'xml'],
  ['secure', 'json'],
  ['secure', 'xml'],
] as const

describe.each(DB_KINDS)('message push from the simulator on %s', (kind) => {
  const stack = useTestStack({ kind })
  let adminKey: string
  let templateId: string

  beforeAll(async () => {
    adminKey = (await stack.wxpush.services.apps.issueApiKey(stack.appId, 'admin')).apiKey
    templateId = await createTestTemplate(stack, ORDER_TEMPLATE)
  })

  /** The same settings in wxpush (through its API) and in the simulator (WeChat's side). */
  async function configure(mode: string, format: string) {
    const token = `tok${randomBytes(6).toString('hex')}`
    const encodingAesKey = randomBytes(32).toString('base64').slice(0, 43)
    const put = await stack.api<Record<string, unknown>>(
      'PUT',
      `/v1/apps/${stack.appId}/callback`,
      { token, encodingAesKey, mode, format },
      { authorization: `Bearer ${adminKey}` },
    )
    expect(put.status).toBe(200)
    expect(put.body).toMatchObject({
      appId: stack.appId,
      mode,
      format,
      tokenSet: true,
      encodingAesKeySet: true,
    })
    expect(JSON.stringify(put.body)).not.toContain(token)
    expect(JSON.stringify(put.body)).not.toContain(encodingAesKey)
    await pointSimulatorCallbacks(stack, { token, encodingAesKey, mode, format })
  }

  const consentOf = async (userId: string) =>
    eventually(
      async () => {
        const r = await stack.api<Consent[]>('GET', `/v1/users/${userId}/consents`)
        return r.body.find((c) => c.template === templateId && c.confirmed > 0)
      },
      10_000,
      'the popup event in the ledger',
    )

  const send = async (openid: string) => {
    const r = await stack.api<{ id: string }>('POST', '/v1/messages', {
      to: { openid },
      template: templateId,
      data: ORDER_DATA,
    })
    expect(r.status).toBe(202)
    return r.body.id
  }
  const messageIn = (id: string, status: string) =>
    eventually(
      async () => {
        const m = await stack.api<MessageView>('GET', `/v1/messages/${id}`)
        return m.body.status === status ? m.body : undefined
      },
      10_000,
      `message ${status}`,
    )

  it.each(COMBINATIONS)(
    'in %s mode with %s, a popup accept alone allows a send, which ends delivered',
    async (mode, format) => {
      await configure(mode, format)
      const user = await createTestUser(stack)
      // The user taps "allow"; the mini program never reports it: only WeChat's event does.
      await stack.control(`/control/apps/${stack.appId}/users/${user.openid}/subscribe`, {
        results: { [templateId]: 'accept' },
      })
      const consent = await consentOf(user.userId)
      expect(consent).toMatchObject({
        credits: 1,
        confirmed: 1,
        reported: 0,
        status: 'accept',
        source: 'wechat',
      })

      const id = await send(user.openid)
      const done = await messageIn(id, 'delivered')
      expect(done.deliveredAt).toBeDefined()
      expect(done.history.map((h) => h.status)).toEqual(['queued', 'sent', 'delivered'])
    },
  )

  it('marks a message failed with WeChat’s code when the sent event reports a delivery failure', async () => {
    await configure('secure', 'json')
    const user = await createTestUser(stack)
    await user.accept([templateId])
    await stack.control(`/control/apps/${stack.appId}/users/${user.openid}/delivery`, {
      fail: true,
      errorCode: 10005,
      errorStatus: 'system error',
      count: 1,
    })
    const done = await messageIn(await send(user.openid), 'failed')
    expect(done).toMatchObject({ status: 'failed', reason: 'delivery_failed', errcode: 10005 })
    expect(done.history.map((h) => h.status)).toEqual(['queued', 'sent', 'failed'])
  })

  it('switches a template off and zeroes its credits when the user rejects it in settings', async () => {
    await configure('secure', 'xml')
    const user = await createTestUser(stack)
    await user.accept([templateId])
    await user.accept([templateId])
    expect((await consentOf(user.userId)).credits).toBe(2)
    await stack.control(`/control/apps/${stack.appId}/users/${user.openid}/settings`, {
      templateIds: [templateId],
      status: 'reject',
    })
    const off = await eventually(async () => {
      const r = await stack.api<Consent[]>('GET', `/v1/users/${user.userId}/consents`)
      const c = r.body.find((x) => x.template === templateId)
      return c?.status === 'off' ? c : undefined
    })
    expect(off.credits).toBe(0)
    const refused = await stack.api<{ error: { code: string } }>('POST', '/v1/messages', {
      to: { openid: user.openid },
      template: templateId,
      data: ORDER_DATA,
    })
    expect(refused.status).toBe(409)
  })

  it('records the customer-service window from a user message and from entering the session', async () => {
    await configure('compatible', 'json')
    const user = await createTestUser(stack)
    const s = stack.wxpush.services
    await stack.control(`/control/apps/${stack.appId}/users/${user.openid}/enter-session`, {
      sessionFrom: 'order-page',
    })
    await stack.control(`/control/apps/${stack.appId}/users/${user.openid}/messages`, { content: '在吗' })
    const window = await eventually(async () => {
      const w = await s.callbacksStore.findWindow(s.db, user.userId)
      return w?.last_message_at && w.last_session_at ? w : undefined
    })
    expect(Math.abs(window.last_message_at!.getTime() - Date.now())).toBeLessThan(60_000)
    const events = await s.callbacksStore.listEvents(s.db, { appId: stack.appId, limit: 10 })
    const mine = events.filter((e) => e.openid === user.openid).map((e) => [e.event_type, e.status])
    expect(mine).toEqual(
      expect.arrayContaining([
        ['user_message', 'done'],
        ['user_enter_tempsession', 'done'],
      ]),
    )
  })

  it('answers WeChat’s URL verification with echostr, and refuses it with a wrong signature', async () => {
    await configure('plain', 'json')
    const { urlSignature } = await import('@wxpush/wechat')
    const cfg = await stack.wxpush.services.callbackConfigs.load(stack.appId)
    const timestamp = String(Math.floor(Date.now() / 1000))
    const signature = urlSignature({ token: cfg!.token, timestamp, nonce: '42' })
    const url = `${stack.apiUrl}/wechat/callback/${stack.appId}?timestamp=${timestamp}&nonce=42&echostr=4375120948345356249`
    const ok = await fetch(`${url}&signature=${signature}`)
    expect(ok.status).toBe(200)
    expect(await ok.text()).toBe('4375120948345356249')
    const bad = await fetch(`${url}&signature=${'0'.repeat(40)}`)
    expect(bad.status).toBe(401)
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('callbacks.signature_invalid')
  })
})
