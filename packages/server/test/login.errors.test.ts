// POST /v1/auth/login against the simulator on both databases: the session answer, the session_key
// kept sealed, WeChat's login errcodes as clear 4xx codes, and the per-address rate limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../src/testing/test-db.ts'
import { startTestStack, type TestStack, useTestStack } from '../src/testing/test-stack.ts'

interface LoginAnswer {
  status: number
  text: string
  body: { token?: string; userId?: string; openid?: string; expiresAt?: string; error?: { code: string } }
}

const loginAt = async (
  stack: TestStack,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<LoginAnswer> => {
  const res = await fetch(`${stack.apiUrl}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, text, body: JSON.parse(text) as LoginAnswer['body'] }
}
const newOpenid = (stack: TestStack) =>
  stack.control<{ openid: string }>(`/control/apps/${stack.appId}/users`).then((u) => u.openid)
const codeFor = (stack: TestStack, openid: string) =>
  stack.control<{ code: string }>(`/control/apps/${stack.appId}/users/${openid}/login`).then((c) => c.code)

describe.each(DB_KINDS)('login on %s', (kind) => {
  const stack = useTestStack({ kind })

  it('answers our own session token and keeps the session_key sealed, never in the answer', async () => {
    const openid = await newOpenid(stack)
    const sessionKey = stack.simulator.world.apps.get(stack.appId)!.users.get(openid)!.sessionKey
    const first = await loginAt(stack, { appId: stack.appId, code: await codeFor(stack, openid) })
    expect(first.status).toBe(200)
    expect(first.body.openid).toBe(openid)
    expect(first.body.token).toMatch(/^wxps_/)
    expect(Date.parse(first.body.expiresAt!)).toBeGreaterThan(Date.now())
    expect(first.text).not.toContain(sessionKey)
    expect(first.text).not.toContain('session')

    const row = await stack.wxpush.services.db
      .selectFrom('users')
      .select(['id', 'session_key_enc'])
      .where('openid', '=', openid)
      .executeTakeFirstOrThrow()
    expect(row.id).toBe(first.body.userId)
    expect(row.session_key_enc).not.toContain(sessionKey)
    expect(stack.wxpush.services.secrets.open(row.session_key_enc!)).toBe(sessionKey)
    const stored = await stack.wxpush.services.db
      .selectFrom('sessions')
      .select('token_hash')
      .where('user_id', '=', row.id)
      .execute()
    expect(stored.map((s) => s.token_hash)).not.toContain(first.body.token)

    // A second login updates the same user and gives a new token.
    const second = await loginAt(stack, { appId: stack.appId, code: await codeFor(stack, openid) })
    expect(second.status).toBe(200)
    expect(second.body.userId).toBe(first.body.userId)
    expect(second.body.token).not.toBe(first.body.token)
  })

  it('turns an unknown code (40029) and a reused code (40163) into 400s with their own codes', async () => {
    const bogus = await loginAt(stack, { appId: stack.appId, code: 'no-such-code-0123456789' })
    expect(bogus.status).toBe(400)
    expect(bogus.body.error?.code).toBe('auth.code_invalid')

    const openid = await newOpenid(stack)
    const code = await codeFor(stack, openid)
    expect((await loginAt(stack, { appId: stack.appId, code })).status).toBe(200)
    const reused = await loginAt(stack, { appId: stack.appId, code })
    expect(reused.status).toBe(400)
    expect(reused.body.error?.code).toBe('auth.code_used')

    await stack.control('/control/faults', {
      path: '/sns/jscode2session',
      errcode: 40029,
      rate: 1,
      count: 1,
    })
    const faulted = await loginAt(stack, { appId: stack.appId, code: await codeFor(stack, openid) })
    expect(faulted.status).toBe(400)
    expect(faulted.body.error?.code).toBe('auth.code_invalid')
  })

  it('turns WeChat’s 45011 into 429 and 40226 into 403', async () => {
    const openid = await newOpenid(stack)
    await stack.control('/control/faults', {
      path: '/sns/jscode2session',
      errcode: 45011,
      rate: 1,
      count: 1,
    })
    const busy = await loginAt(stack, { appId: stack.appId, code: await codeFor(stack, openid) })
    expect(busy.status).toBe(429)
    expect(busy.body.error?.code).toBe('auth.too_frequent')

    await stack.control('/control/faults', {
      path: '/sns/jscode2session',
      errcode: 40226,
      rate: 1,
      count: 1,
    })
    const blocked = await loginAt(stack, { appId: stack.appId, code: await codeFor(stack, openid) })
    expect(blocked.status).toBe(403)
    expect(blocked.body.error?.code).toBe('auth.user_blocked')

    // The simulator's own high-risk flag gives the same answer without a fault rule.
    const risky = await newOpenid(stack)
    await stack.control(`/control/apps/${stack.appId}/users/${risky}/risk`, { highRisk: true })
    const flagged = await loginAt(stack, { appId: stack.appId, code: await codeFor(stack, risky) })
    expect(flagged.status).toBe(403)
    expect(flagged.body.error?.code).toBe('auth.user_blocked')
  })

  it('answers an unknown app with 404 and a bad body with 400 naming the field', async () => {
    const unknown = await loginAt(stack, { appId: 'wxnosuchapp', code: 'abc' })
    expect(unknown.status).toBe(404)
    expect(unknown.body.error?.code).toBe('apps.not_found')
    const bad = await loginAt(stack, { appId: stack.appId })
    expect(bad.status).toBe(400)
    expect(bad.body.error?.code).toBe('request.invalid')
    expect(bad.text).toContain('body.code')
  })
})

// The limiter counts per client address in the process's memory; the database plays no part,
// so one database kind is enough here.
describe('the login rate limit', () => {
  let stack: TestStack
  beforeAll(async () => {
    stack = await startTestStack({ kind: 'pglite', env: { WXPUSH_LOGIN_RATE_PER_MIN: '3' } })
  })
  afterAll(async () => {
    await stack?.close()
  })

  it('answers 429 auth.too_frequent past the per-minute limit of one client address', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 3; i++)
      statuses.push((await loginAt(stack, { appId: stack.appId, code: `bad${i}` })).status)
    expect(statuses).toEqual([400, 400, 400])
    const openid = await newOpenid(stack)
    const limited = await loginAt(stack, { appId: stack.appId, code: await codeFor(stack, openid) })
    expect(limited.status).toBe(429)
    expect(limited.body.error?.code).toBe('auth.too_frequent')
    expect(limited.body.error).toMatchObject({ details: { retryAfterS: expect.any(Number) } })
  })
})

describe('the login rate limit behind a trusted proxy (WXPUSH_TRUST_PROXY)', () => {
  let stack: TestStack
  beforeAll(async () => {
    stack = await startTestStack({
      kind: 'pglite',
      env: { WXPUSH_LOGIN_RATE_PER_MIN: '2', WXPUSH_TRUST_PROXY: 'true' },
    })
  })
  afterAll(async () => {
    await stack?.close()
  })

  it('counts each X-Forwarded-For client apart', async () => {
    const at = (ip: string, i: number) =>
      loginAt(stack, { appId: stack.appId, code: `bad${i}` }, { 'x-forwarded-for': ip }).then((r) => r.status)
    const first = [await at('203.0.113.1', 0), await at('203.0.113.1', 1), await at('203.0.113.1', 2)]
    expect(first).toEqual([400, 400, 429])
    expect(await at('203.0.113.2', 3)).toBe(400)
  })
})
