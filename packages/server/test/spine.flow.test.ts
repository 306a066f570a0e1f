// The spine, end to end over real HTTP on both databases: a simulated user logs in with a code,
// accepts a template, the backend sends, the message reaches `sent` and the simulated phone.
import { describe, expect, it } from 'vitest'
import { DB_KINDS } from '../src/testing/test-db.ts'
import { eventually, useTestStack } from '../src/testing/test-stack.ts'
import { createTestTemplate, createTestUser, ORDER_DATA, ORDER_TEMPLATE } from '../src/testing/test-users.ts'
import type { MessageView } from '../src/testing/test-views.ts'

describe.each(DB_KINDS)('the spine on %s', (kind) => {
  const stack = useTestStack({ kind })

  it('answers health with the database kind', async () => {
    const res = await fetch(`${stack.apiUrl}/v1/health`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok', db: kind, credentialsInvalid: [] })
  })

  it('delivers one message per accept and refuses the second with 409 without calling WeChat', async () => {
    const templateId = await createTestTemplate(stack, ORDER_TEMPLATE)
    const user = await createTestUser(stack)
    const consent = await user.accept([templateId])
    expect(consent.status).toBe(200)
    expect(consent.body).toEqual({
      consents: [{ template: templateId, credits: 1, status: 'accept', unconfirmedUntil: null }],
      mainSwitch: true,
    })

    const sent = await stack.api<{ id: string; status: string }>('POST', '/v1/messages', {
      to: { openid: user.openid },
      template: 'order_notice',
      data: ORDER_DATA,
      page: 'pages/index/index',
    })
    expect(sent.status).toBe(202)
    expect(sent.body.status).toBe('queued')

    const done = await eventually(async () => {
      const m = await stack.api<MessageView>('GET', `/v1/messages/${sent.body.id}`)
      return m.body.status === 'sent' ? m.body : undefined
    })
    expect(done.history.map((h) => h.status)).toEqual(['queued', 'sent'])

    const inbox = await user.inbox()
    expect(inbox).toHaveLength(1)
    expect(inbox[0]?.templateId).toBe(templateId)
    expect(inbox[0]?.data.thing1?.value).toBe('合同A')

    const callsBefore = await stack.control<{ calls: Record<string, { total: number }> }>(
      '/control/stats',
      undefined,
      'GET',
    )
    const second = await stack.api<{ error: { code: string } }>('POST', '/v1/messages', {
      to: { openid: user.openid },
      template: 'order_notice',
      data: ORDER_DATA,
    })
    expect(second.status).toBe(409)
    expect(second.body.error.code).toBe('messages.no_credit')
    const callsAfter = await stack.control<{ calls: Record<string, { total: number }> }>(
      '/control/stats',
      undefined,
      'GET',
    )
    expect(callsAfter.calls['/cgi-bin/message/subscribe/send']?.total).toBe(1)
    expect(callsBefore.calls['/cgi-bin/message/subscribe/send']?.total).toBe(1)
    expect(await user.inbox()).toHaveLength(1)
  })

  it('records failed with errcode and reason when WeChat refuses the send', async () => {
    const user = await createTestUser(stack)
    const templateId = (
      await stack.api<{ items: { id: string; alias: string }[] }>('GET', '/v1/templates')
    ).body.items.find((t) => t.alias === 'order_notice')!.id
    await user.accept([templateId])
    // The user's openid is refused by "WeChat" for this one call.
    await stack.control('/control/faults', {
      path: '/cgi-bin/message/subscribe/send',
      errcode: 40003,
      rate: 1,
      count: 1,
    })
    const sent = await stack.api<{ id: string }>('POST', '/v1/messages', {
      to: { openid: user.openid },
      template: templateId,
      data: ORDER_DATA,
    })
    expect(sent.status).toBe(202)
    const done = await eventually(async () => {
      const m = await stack.api<MessageView>('GET', `/v1/messages/${sent.body.id}`)
      return m.body.status === 'failed' ? m.body : undefined
    })
    expect(done).toMatchObject({ status: 'failed', errcode: 40003, reason: 'openid_invalid' })
    // 40003 did not use the user's credit: it is given back.
    const consents = await stack.api<{ template: string; credits: number }[]>(
      'GET',
      `/v1/users/${user.userId}/consents`,
    )
    expect(consents.body.find((c) => c.template === templateId)?.credits).toBe(1)
  })

  it('refuses bad input with a 4xx naming the field, never a 500', async () => {
    const noKey = await fetch(`${stack.apiUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    expect(noKey.status).toBe(401)
    const bad = await stack.api<{ error: { code: string; details: { fields: { field: string }[] } } }>(
      'POST',
      '/v1/messages',
      {
        to: { openid: 'x' },
        data: {},
      },
    )
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('request.invalid')
    expect(bad.body.error.details.fields.map((f) => f.field)).toContain('body.template')
    const unknownTemplate = await stack.api<{ error: { code: string } }>('POST', '/v1/messages', {
      to: { openid: 'x' },
      template: 'nope',
      data: {},
    })
    expect(unknownTemplate.status).toBe(404)
    expect(unknownTemplate.body.error.code).toBe('templates.not_found')
    // A JSON body is not coerced: a boolean is refused, not sent to WeChat as "true".
    const boolean = await stack.api<{ error: { code: string; details: { fields: { field: string }[] } } }>(
      'POST',
      '/v1/messages',
      {
        to: { openid: 'x' },
        template: 'order_notice',
        data: { thing1: true },
      },
    )
    expect(boolean.status).toBe(400)
    expect(boolean.body.error.details.fields.map((f) => f.field)).toContain('body.data.thing1')
    // A query string is: ?limit=2 is the number 2.
    const listed = await stack.api<{ items: unknown[] }>('GET', '/v1/messages?limit=2')
    expect(listed.status).toBe(200)
    expect(listed.body.items.length).toBeLessThanOrEqual(2)
  })
})
