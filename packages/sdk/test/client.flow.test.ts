// The SDK against the real stack (wxpush + simulator over HTTP, PGlite and Postgres): sends, reads,
// users, templates and campaigns through createClient, typed errors with the service's codes.
import { describe, expect, it } from 'vitest'
import { eventually, useTestStack } from '@wxpush/server/testing/test-stack'
import {
  createTestTemplate,
  createTestUser,
  ORDER_DATA,
  ORDER_TEMPLATE,
} from '@wxpush/server/testing/test-users'
import { createClient, WxpushError } from '../src/index.ts'

describe.each(['pglite', 'postgres'] as const)('@wxpush/sdk on %s', (kind) => {
  const stack = useTestStack({ kind })
  const client = () => createClient({ baseUrl: stack.apiUrl, apiKey: stack.apiKey })

  it('sends, reads, lists and cancels messages with typed answers', async () => {
    const templateId = await createTestTemplate(stack, ORDER_TEMPLATE)
    const u = await createTestUser(stack)
    // Three accepts, three credits: a send, a send repeated under one key, a scheduled send.
    for (let i = 0; i < 3; i++) expect((await u.accept([templateId])).status).toBe(200)
    const wx = client()
    const body = { to: { userId: u.userId }, template: 'order_notice', data: ORDER_DATA }
    const sent = await wx.messages.send(body)
    expect(sent).toMatchObject({ status: 'queued', duplicate: false })
    const message = await eventually(
      async () => {
        const m = await wx.messages.get(sent.id)
        return m.status === 'sent' || m.status === 'delivered' ? m : undefined
      },
      20_000,
      'the message sent',
    )
    expect(message.to.openid).toBe(u.openid)
    expect(message.history.map((h) => h.status)).toContain('sent')
    expect((await wx.messages.list({ userId: u.userId, limit: 10 })).items.map((m) => m.id)).toContain(
      sent.id,
    )

    const once = await wx.messages.send({ ...body, idempotencyKey: 'sdk-once' })
    const repeat = await wx.messages.send({ ...body, idempotencyKey: 'sdk-once' })
    expect(repeat).toMatchObject({ id: once.id, duplicate: true })

    const later = await wx.messages.send({ ...body, sendAt: new Date(Date.now() + 3_600_000).toISOString() })
    expect(later.status).toBe('scheduled')
    expect(await wx.messages.cancel(later.id)).toEqual({ id: later.id, status: 'cancelled' })

    const batch = await wx.messages.sendBatch([body, { ...body, template: '' }])
    expect(batch.results.map((r) => r.index)).toEqual([0, 1])
    expect(batch.results[1]?.error?.code).toBe('request.invalid')
  })

  it('throws WxpushError with the code and details of the service, never retrying a 4xx', async () => {
    const wx = client()
    const err = await wx.messages.get('no-such-message').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WxpushError)
    expect((err as WxpushError).status).toBe(404)
    expect((err as WxpushError).code).toBe('messages.not_found')
    const bad = (await wx.messages
      .send({ to: { openid: 'x' }, template: '', data: {} })
      .catch((e: unknown) => e)) as WxpushError
    expect(bad.code).toBe('request.invalid')
    expect(JSON.stringify(bad.details)).toContain('body.template')
    const wrongKey = createClient({ baseUrl: stack.apiUrl, apiKey: 'wxp_wrong' })
    const refused = (await wrongKey.templates.list().catch((e: unknown) => e)) as WxpushError
    expect(refused.status).toBe(401)
  })

  it('reads users, tags, consents and templates, and runs a campaign', async () => {
    const wx = client()
    const templates = await wx.templates.list()
    const synced = await wx.templates.sync()
    expect(synced.synced).toBe(templates.items.length)
    const u = await createTestUser(stack)
    const user = await wx.users.get(u.userId)
    expect(user.openid).toBe(u.openid)
    expect(await wx.users.find({ openid: u.openid })).toMatchObject({ id: u.userId })
    expect(await wx.users.tags(u.userId, { add: ['sdk'] })).toEqual({ id: u.userId, tags: ['sdk'] })
    const tagged = await wx.users.find({ tag: 'sdk' })
    expect('items' in tagged && tagged.items.map((i) => i.id)).toEqual([u.userId])
    expect(Array.isArray(await wx.users.consents(u.userId))).toBe(true)

    const created = await wx.campaigns.create({
      name: 'sdk',
      template: 'order_notice',
      data: ORDER_DATA,
      audience: { upload: true },
    })
    expect(created.status).toBe('draft')
    const upload = await wx.campaigns.upload(
      created.id,
      `${JSON.stringify({ openid: u.openid })}\n`,
      'ndjson',
    )
    expect(upload).toMatchObject({ accepted: 1, rejectedCount: 0 })
    expect((await wx.campaigns.start(created.id)).status).toBe('running')
    expect((await wx.campaigns.list()).items.map((c) => c.id)).toContain(created.id)
    const done = await eventually(
      async () => {
        const c = await wx.campaigns.get(created.id)
        return c.status === 'completed' ? c : undefined
      },
      30_000,
      'the campaign completed',
    )
    // The user never accepted this template: the one recipient is skipped, counted by reason.
    expect(done.counts.recipients).toBe(1)
    const late = await wx.campaigns.pause(created.id).catch((e: unknown) => e)
    expect(late).toBeInstanceOf(WxpushError)
    expect((late as WxpushError).status).toBe(409)
  })
})
