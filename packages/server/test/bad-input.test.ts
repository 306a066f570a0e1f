// Bad input answers a catalogued 4xx (or 502/504 for WeChat), never a 500, on both databases: NUL
// bytes and lone surrogates anywhere they would reach Postgres, cursors that decode to dates it
// cannot hold, login when WeChat drops, fails or stalls, and the answers Fastify and Node write
// themselves (bad percent-encoding, 431, 503 while stopping) in the {error: {code}} shape.
import { Client } from 'undici'
import { describe, expect, it } from 'vitest'
import { DB_KINDS } from '../src/testing/test-db.ts'
import { startTestStack, useTestStack } from '../src/testing/test-stack.ts'
import { createTestTemplate, createTestUser, ORDER_DATA, ORDER_TEMPLATE } from '../src/testing/test-users.ts'

const ADMIN_KEY = 'adm_bad_input_test_0123456789abcdefghijklmnop'
type Answer = { status: number; body: { error?: { code: string; details?: Record<string, unknown> } } }

describe.each(DB_KINDS)('bad input on %s', (kind) => {
  const stack = useTestStack({ kind, env: { WXPUSH_ADMIN_KEY: ADMIN_KEY, WXPUSH_WECHAT_TIMEOUT_MS: '500' } })

  const raw = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(stack.apiUrl + path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await res.text()
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Answer['body'] }
  }
  const expectRefused = (r: Answer, what: string, code = 'request.text_invalid', status = 422) => {
    expect({ what, status: r.status, code: r.body.error?.code }).toEqual({ what, status, code })
  }

  it('refuses a NUL byte in every string that reaches Postgres with 422 request.text_invalid', async () => {
    const templateId = await createTestTemplate(stack, ORDER_TEMPLATE)
    const user = await createTestUser(stack)
    const send = (over: Record<string, unknown>) =>
      stack.api('POST', '/v1/messages', {
        to: { openid: user.openid },
        template: templateId,
        data: ORDER_DATA,
        ...over,
      })
    const session = { authorization: `Bearer ${user.token}` }
    const admin = { authorization: `Bearer ${ADMIN_KEY}` }
    const cases: [string, Promise<Answer>][] = [
      ['login appId (no auth)', raw('POST', '/v1/auth/login', { appId: 'wx\u0000', code: 'c' })],
      ['login code', raw('POST', '/v1/auth/login', { appId: stack.appId, code: 'c\u0000' })],
      ['message id in the path', stack.api('GET', '/v1/messages/msg_%00x')],
      ['cancel id in the path', stack.api('POST', '/v1/messages/msg_%00x/cancel')],
      ['user id in the path', stack.api('GET', '/v1/users/usr_%00')],
      ['consents of a user id', stack.api('GET', '/v1/users/usr_%00/consents')],
      ['users?openid=', stack.api('GET', '/v1/users?openid=o%00')],
      ['messages?userId=', stack.api('GET', '/v1/messages?userId=u%00')],
      ['messages?template=', stack.api('GET', '/v1/messages?template=t%00')],
      ['template id in the alias path', stack.api('PUT', '/v1/templates/t%00/alias', { alias: 'x' })],
      ['to.openid', send({ to: { openid: 'o\u0000' } })],
      ['to.userId', send({ to: { userId: 'u\u0000' } })],
      ['template', send({ template: 't\u0000' })],
      ['page', send({ page: 'pages/a\u0000' })],
      ['idempotencyKey', send({ idempotencyKey: 'k\u0000' })],
      ['a data value', send({ data: { ...ORDER_DATA, thing1: 'a\u0000b' } })],
      ['a data key', send({ data: { ...ORDER_DATA, 'thing\u00001': 'x' } })],
      ['a consent key', raw('POST', '/v1/consents', { results: { 'tpl\u0000': 'accept' } }, session)],
      [
        'a webhook URL',
        stack.api('PUT', `/v1/apps/${stack.appId}/webhook`, { url: 'http://a\u0000.example/' }),
      ],
      [
        'an app name',
        raw(
          'POST',
          '/v1/admin/apps',
          { appId: 'wx00000000000000aa', secret: '0'.repeat(32), name: 'n\u0000' },
          admin,
        ),
      ],
      ['an app id in an admin path', raw('GET', '/v1/admin/apps/wx%00', undefined, admin)],
      ['a rate-limit app id', stack.api('GET', '/v1/apps/wx%00/rate-limit')],
    ]
    for (const [what, answer] of cases) expectRefused(await answer, what)
    // Nothing of it was stored.
    const r = await stack.api<{ items: unknown[] }>('GET', '/v1/messages')
    expect(r.body.items).toHaveLength(0)
  })

  it('refuses lone surrogates in keys and identifiers (they would collide as U+FFFD)', async () => {
    const templateId = await createTestTemplate(stack, { ...ORDER_TEMPLATE, alias: 'order_surrogate' })
    const user = await createTestUser(stack)
    await user.accept([templateId, templateId])
    const send = (idempotencyKey: string) =>
      stack.api<Answer['body']>('POST', '/v1/messages', {
        to: { openid: user.openid },
        template: templateId,
        data: ORDER_DATA,
        idempotencyKey,
      })
    const high = await send('k\ud800')
    const low = await send('k\udc00')
    expectRefused(high, 'idempotencyKey k\\ud800')
    expect(high.body.error?.details).toMatchObject({
      field: 'body.idempotencyKey',
      rule: 'well_formed_unicode',
    })
    expectRefused(low, 'idempotencyKey k\\udc00')
    // A well-formed pair (an emoji) is a key like any other.
    expect((await send('k\ud83d\ude00')).status).toBe(202)
    expect((await send('k\ud83d\ude00')).status).toBe(200)
  })

  it('answers 400 for cursors we did not write, including dates Postgres cannot hold', async () => {
    for (const text of [
      '+275760-09-13T00:00:00.000Z|msg_x',
      '+010000-01-01T00:00:00.000Z|msg_x',
      'garbage',
    ]) {
      const cursor = Buffer.from(text).toString('base64url')
      const r = await stack.api('GET', `/v1/messages?cursor=${cursor}`)
      expectRefused(r, `cursor ${text}`, 'request.invalid', 400)
    }
  })

  it('login answers 502 when WeChat drops or fails and 504 when it is slow', async () => {
    const code = async () => {
      const { openid } = await stack.control<{ openid: string }>(`/control/apps/${stack.appId}/users`)
      return (await stack.control<{ code: string }>(`/control/apps/${stack.appId}/users/${openid}/login`))
        .code
    }
    const path = '/sns/jscode2session'
    await stack.control('/control/faults', { path, drop: true, rate: 1, count: 1 })
    expectRefused(
      await raw('POST', '/v1/auth/login', { appId: stack.appId, code: await code() }),
      'drop',
      'auth.wechat_unavailable',
      502,
    )
    await stack.control('/control/faults', { path, status: 502, rate: 1, count: 1 })
    const bad = await raw('POST', '/v1/auth/login', { appId: stack.appId, code: await code() })
    expectRefused(bad, 'HTTP 502', 'auth.wechat_unavailable', 502)
    expect(bad.body.error?.details).toMatchObject({ transport: 'http_status', httpStatus: 502 })
    await stack.control('/control/faults', { path, delayMs: 2_000, rate: 1, count: 1 })
    expectRefused(
      await raw('POST', '/v1/auth/login', { appId: stack.appId, code: await code() }),
      'slow',
      'auth.wechat_timeout',
      504,
    )
  })

  it('answers bad percent-encoding and oversized headers in the error shape', async () => {
    expectRefused(
      await stack.api('GET', '/v1/messages/%E0%A4%A'),
      'bad percent-encoding',
      'request.invalid',
      400,
    )
    const big = await fetch(`${stack.apiUrl}/v1/health`, { headers: { 'x-big': 'a'.repeat(20_000) } })
    expect(big.status).toBe(431)
    expect(await big.json()).toMatchObject({
      error: { code: 'request.invalid', details: { reason: 'header_overflow' } },
    })
  })
})

describe.each(DB_KINDS)('stopping on %s', (kind) => {
  it('answers a request that arrives while stopping with 503 server.stopping', async () => {
    const stack = await startTestStack({ kind })
    try {
      const { openid } = await stack.control<{ openid: string }>(`/control/apps/${stack.appId}/users`)
      const { code } = await stack.control<{ code: string }>(
        `/control/apps/${stack.appId}/users/${openid}/login`,
      )
      await stack.control('/control/faults', {
        path: '/sns/jscode2session',
        delayMs: 1_500,
        rate: 1,
        count: 1,
      })
      // One keep-alive connection: the second request waits behind the slow first one, so it is
      // read after the stop has begun.
      const client = new Client(stack.apiUrl, { pipelining: 1 })
      const slow = client.request({
        method: 'POST',
        path: '/v1/auth/login',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ appId: stack.appId, code }),
      })
      const later = client.request({ method: 'GET', path: '/v1/health' })
      await new Promise((r) => setTimeout(r, 300)) // let the slow request reach the server first
      const stopping = stack.wxpush.stop()
      expect((await slow).statusCode).toBe(200)
      const refused = await later.then(
        async (r) => ({ status: r.statusCode, body: (await r.body.json()) as Answer['body'] }),
        () => undefined,
      )
      await stopping
      await client.close().catch(() => {})
      expect(refused?.status).toBe(503)
      expect(refused?.body.error?.code).toBe('server.stopping')
    } finally {
      await stack.close()
    }
  }, 120_000)
})
