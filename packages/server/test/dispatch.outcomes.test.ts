// Dispatch outcomes by class, over the real simulator with injected faults, on both databases.
import { createServer, type IncomingMessage } from 'node:http'
import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../src/testing/test-db.ts'
import { eventually, startTestStack, type TestStack } from '../src/testing/test-stack.ts'
import {
  createTestTemplate,
  ORDER_DATA,
  ORDER_TEMPLATE,
  seedUsersWithCredits,
} from '../src/testing/test-users.ts'
import type { MessageView } from '../src/testing/test-views.ts'

const SEND = '/cgi-bin/message/subscribe/send'
const TERMINAL = new Set(['sent', 'delivered', 'failed', 'cancelled'])

describe.each(DB_KINDS)('dispatch outcomes on %s', (kind) => {
  let stack: TestStack
  let templateId: string
  let adminKey: string

  beforeAll(async () => {
    stack = await startTestStack({ kind, env: { WXPUSH_RETRY_BASE_MS: '20', WXPUSH_MAX_ATTEMPTS: '8' } })
    templateId = await createTestTemplate(stack, ORDER_TEMPLATE)
    adminKey = (await stack.wxpush.services.apps.issueApiKey(stack.appId, 'admin')).apiKey
  })
  afterAll(async () => {
    await stack?.close()
  })

  const send = (openid: string, extra: Record<string, unknown> = {}) =>
    stack.api<{ id: string; status: string }>('POST', '/v1/messages', {
      to: { openid },
      template: templateId,
      data: ORDER_DATA,
      ...extra,
    })
  const view = async (id: string) => (await stack.api<MessageView>('GET', `/v1/messages/${id}`)).body
  const settled = (id: string) =>
    eventually(
      async () => {
        const m = await view(id)
        return TERMINAL.has(m.status) ? m : undefined
      },
      20_000,
      `message ${id} to finish`,
    )
  const credits = async (userId: string) =>
    (
      await stack.api<{ template: string; credits: number }[]>('GET', `/v1/users/${userId}/consents`)
    ).body.find((c) => c.template === templateId)?.credits

  it('ends every message sent when 20 % of sends meet retriable faults (-1, HTTP 502, dropped connections)', async () => {
    await stack.control('/control/faults', {
      faults: [
        { path: SEND, errcode: -1, rate: 0.1 },
        { path: SEND, status: 502, rate: 0.05 },
        { path: SEND, drop: true, rate: 0.05 },
      ],
    })
    const users = await seedUsersWithCredits(stack, { users: 20, templateId, credits: 5 })
    const ids: string[] = []
    for (const u of users) for (let i = 0; i < 5; i++) ids.push((await send(u.openid)).body.id)
    const done = await Promise.all(ids.map(settled))
    await stack.control('/control/faults', {}, 'DELETE')
    expect(done.filter((m) => m.status !== 'sent')).toEqual([])
    const retried = done.filter((m) => m.attempts > 1)
    expect(retried.length).toBeGreaterThan(0)
    const stats = await stack.control<{ calls: Record<string, { total: number }> }>(
      '/control/stats',
      undefined,
      'GET',
    )
    expect(stats.calls[SEND]?.total).toBeGreaterThan(100)
  })

  it('fails at once with the catalogue reason on a permanent error and gives the credit back', async () => {
    const [u] = await seedUsersWithCredits(stack, { users: 1, templateId, credits: 1 })
    await stack.control('/control/faults', { path: SEND, errcode: 41030, count: 1 })
    const m = await settled((await send(u!.openid, { page: 'pages/none' })).body.id)
    expect(m).toMatchObject({ status: 'failed', errcode: 41030, reason: 'page_invalid', attempts: 1 })
    expect(await credits(u!.userId)).toBe(1)
  })

  it('fails with retries_exhausted after WXPUSH_MAX_ATTEMPTS retriable answers', async () => {
    const [u] = await seedUsersWithCredits(stack, { users: 1, templateId, credits: 1 })
    await stack.control('/control/faults', { path: SEND, errcode: 45009, count: 8 })
    const m = await settled((await send(u!.openid)).body.id)
    expect(m).toMatchObject({ status: 'failed', reason: 'retries_exhausted', errcode: 45009, attempts: 8 })
    expect(await credits(u!.userId)).toBe(1)
  })

  it('marks user_refused and zeroes the ledger on 43101', async () => {
    const [u] = await seedUsersWithCredits(stack, { users: 1, templateId, credits: 3 })
    await stack.control('/control/faults', { path: SEND, errcode: 43101, count: 1 })
    const m = await settled((await send(u!.openid)).body.id)
    expect(m).toMatchObject({ status: 'failed', reason: 'user_refused', errcode: 43101 })
    expect(await credits(u!.userId)).toBe(0)
  })

  it('records outcome_unknown, not user_refused, when a lost answer was followed by 43101', async () => {
    const [u] = await seedUsersWithCredits(stack, { users: 1, templateId, credits: 1 })
    // The first send is delivered (the credit used up at WeChat) but its answer is lost.
    await stack.control('/control/faults', { path: SEND, drop: true, after: true, count: 1 })
    const m = await settled((await send(u!.openid)).body.id)
    expect(m).toMatchObject({ status: 'failed', reason: 'outcome_unknown', errcode: 43101, attempts: 2 })
    const inbox = await stack.control<unknown[]>(
      `/control/apps/${stack.appId}/users/${u!.openid}/inbox`,
      undefined,
      'GET',
    )
    expect(inbox).toHaveLength(1)
  })

  it('answers the first message again for a repeated idempotency key, and spends one credit', async () => {
    const [u] = await seedUsersWithCredits(stack, { users: 1, templateId, credits: 2 })
    const first = await send(u!.openid, { idempotencyKey: 'order-42-shipped' })
    const again = await send(u!.openid, { idempotencyKey: 'order-42-shipped' })
    expect(first.status).toBe(202)
    expect(again.status).toBe(200)
    expect(again.body.id).toBe(first.body.id)
    await settled(first.body.id)
    expect(await credits(u!.userId)).toBe(1)
  })

  it('holds a scheduled message until sendAt, and cancels one before it is sent with its credit back', async () => {
    const [u] = await seedUsersWithCredits(stack, { users: 1, templateId, credits: 2 })
    const soon = await send(u!.openid, { sendAt: new Date(Date.now() + 1_500).toISOString() })
    expect(soon.body.status).toBe('scheduled')
    const later = await send(u!.openid, { sendAt: new Date(Date.now() + 3_600_000).toISOString() })
    expect(await credits(u!.userId)).toBe(0)
    const cancelled = await stack.api('POST', `/v1/messages/${later.body.id}/cancel`)
    expect(cancelled).toEqual({ status: 200, body: { id: later.body.id, status: 'cancelled' } })
    expect(await credits(u!.userId)).toBe(1)
    const sent = await settled(soon.body.id)
    expect(sent.history.map((h) => h.status)).toEqual(['scheduled', 'sent'])
    const again = await stack.api<{ error: { code: string } }>('POST', `/v1/messages/${soon.body.id}/cancel`)
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('messages.not_cancellable')
  })

  it('posts a signed webhook for each status change and retries a failing endpoint', async () => {
    const received: { body: string; signature: string }[] = []
    let refuseFirst = true
    const server = createServer((req: IncomingMessage, res) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString()))
      req.on('end', () => {
        if (refuseFirst) {
          refuseFirst = false
          res.writeHead(500).end()
          return
        }
        received.push({ body, signature: String(req.headers['x-wxpush-signature']) })
        res.writeHead(204).end()
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const port = (server.address() as { port: number }).port
    try {
      const secret = 'webhook-secret-for-tests-0123456789'
      const put = await stack.api(
        'PUT',
        `/v1/apps/${stack.appId}/webhook`,
        { url: `http://127.0.0.1:${port}/hook`, secret },
        { authorization: `Bearer ${adminKey}` },
      )
      expect(put.status).toBe(200)
      const [u] = await seedUsersWithCredits(stack, { users: 1, templateId, credits: 1 })
      const id = (await send(u!.openid)).body.id
      await settled(id)
      const hook = await eventually(
        async () => received.find((r) => r.body.includes(id)),
        15_000,
        'the webhook',
      )
      const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(hook.signature)
      expect(m).not.toBeNull()
      expect(m![2]).toBe(createHmac('sha256', secret).update(`${m![1]}.${hook.body}`).digest('hex'))
      expect(JSON.parse(hook.body)).toMatchObject({ type: 'message.status', messageId: id, status: 'sent' })
    } finally {
      await stack.api('DELETE', `/v1/apps/${stack.appId}/webhook`, undefined, {
        authorization: `Bearer ${adminKey}`,
      })
      server.close()
    }
  })

  it('keeps every process of an app under the shared per-second limit', async () => {
    const put = await stack.api(
      'PUT',
      `/v1/apps/${stack.appId}/rate-limit`,
      { perSecond: 20, burst: 5 },
      { authorization: `Bearer ${adminKey}` },
    )
    expect(put.status).toBe(200)
    try {
      const users = await seedUsersWithCredits(stack, { users: 30, templateId, credits: 1 })
      // All due at one moment after every enqueue is done: on PGlite the database shares the event
      // loop, and enqueue work would otherwise delay the first sends and blur the measurement.
      const sendAt = new Date(Date.now() + 1_500).toISOString()
      const ids = await Promise.all(users.map(async (u) => (await send(u.openid, { sendAt })).body.id))
      await Promise.all(ids.map(settled))
      const received = (
        await Promise.all(
          users.map((u) =>
            stack.control<{ receivedAt: string }[]>(
              `/control/apps/${stack.appId}/users/${u.openid}/inbox`,
              undefined,
              'GET',
            ),
          ),
        )
      ).flatMap((inbox) => inbox.map((i) => Date.parse(i.receivedAt)))
      received.sort((a, b) => a - b)
      // A token bucket of 20/s with a burst of 5 lets 5 through at once and then one every 50 ms: the
      // 30 sends cannot span less than (30 - 5 - 1) / 20 s = 1.2 s (unlimited, they take ~50 ms). 300 ms
      // of slack absorbs the difference between when a send was granted and when the simulator saw it.
      expect(received).toHaveLength(30)
      expect(received.at(-1)! - received[0]!).toBeGreaterThanOrEqual(((30 - 5 - 1) / 20) * 1000 - 300)
    } finally {
      await stack.api('DELETE', `/v1/apps/${stack.appId}/rate-limit`, undefined, {
        authorization: `Bearer ${adminKey}`,
      })
    }
  })

  it('exposes messages by status, errcodes, queue depth and accept latencies at /metrics', async () => {
    const res = await fetch(`${stack.apiUrl}/metrics`)
    const text = await res.text()
    expect(res.status).toBe(200)
    expect(text).toMatch(/wxpush_messages_total\{status="sent",reason=""\} \d+/)
    expect(text).toMatch(/wxpush_wechat_errcodes_total\{errcode="0"\} \d+/)
    expect(text).toMatch(/wxpush_queue_depth \d+/)
    expect(text).toMatch(/wxpush_send_duration_seconds_bucket/)
    // earlier tests of this file accepted single sends and saw them sent
    expect(text).toMatch(/wxpush_accept_duration_seconds_count\{path="single"\} [1-9]\d*/)
    expect(text).toMatch(/wxpush_accept_to_sent_seconds_count [1-9]\d*/)
  })
})
