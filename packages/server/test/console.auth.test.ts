// The console's API on both databases: operators log in with a password (argon2id), get an
// HttpOnly SameSite=Strict cookie and a CSRF token; roles, app access, the login rate limit,
// audit of sends, and that a console send is the very send of /v1/messages (same rules, same ledger).
import { describe, expect, it } from 'vitest'
import { createOperators } from '../src/console/console.operators.ts'
import { createConsoleStore } from '../src/console/console.store.ts'
import { DB_KINDS } from '../src/testing/test-db.ts'
import { eventually, useTestStack } from '../src/testing/test-stack.ts'
import { createTestTemplate, createTestUser, ORDER_DATA, ORDER_TEMPLATE } from '../src/testing/test-users.ts'

interface Session {
  cookie: string
  csrf: string
  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    opts?: { csrf?: boolean },
  ): Promise<{ status: number; body: T }>
}

describe.each(DB_KINDS)('console API on %s', (kind) => {
  const stack = useTestStack({ kind })
  const PASSWORD = 'correct horse battery'

  async function addOperator(username: string, role: 'admin' | 'operator' | 'viewer', appIds: string[] = []) {
    const ops = createOperators({ db: stack.wxpush.services.db, store: createConsoleStore() })
    await ops.add({ username, password: PASSWORD, role, appIds })
  }

  async function login(username: string, password = PASSWORD) {
    return fetch(`${stack.apiUrl}/console/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    })
  }

  async function session(username: string): Promise<Session> {
    const res = await login(username)
    expect(res.status).toBe(200)
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!
    const { csrfToken } = (await res.json()) as { csrfToken: string }
    return {
      cookie,
      csrf: csrfToken,
      async call(method, path, body, opts = {}) {
        const headers: Record<string, string> = { cookie }
        if (opts.csrf !== false) headers['x-csrf-token'] = csrfToken
        if (body !== undefined) headers['content-type'] = 'application/json'
        const r = await fetch(stack.apiUrl + path, {
          method,
          headers,
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        })
        return { status: r.status, body: (await r.json()) as never }
      },
    }
  }

  it('sets an HttpOnly SameSite=Strict cookie and never keeps the password', async () => {
    await addOperator('alice', 'admin')
    const res = await login('alice')
    expect(res.status).toBe(200)
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    expect(cookie).toMatch(/Path=\/console/)
    expect(cookie).not.toMatch(/Secure/) // plain http here; Secure is set over https
    const row = await stack.wxpush.services.db
      .selectFrom('console_operators')
      .select('password_hash')
      .where('username', '=', 'alice')
      .executeTakeFirstOrThrow()
    expect(row.password_hash).toMatch(/^\$argon2id\$/)
    expect(row.password_hash).not.toContain(PASSWORD)
  })

  it('refuses a wrong password and then rate-limits the username', async () => {
    await addOperator('bob', 'viewer')
    const wrong = await login('bob', 'not the password')
    expect(wrong.status).toBe(401)
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('console.login_failed')
    for (let i = 1; i < 10; i++) await login('bob', 'still wrong')
    const limited = await login('bob')
    expect(limited.status).toBe(429)
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe(
      'console.login_rate_limited',
    )
  })

  it('needs the CSRF token on a state-changing call, and logout ends the session', async () => {
    await addOperator('carol', 'admin')
    const s = await session('carol')
    expect((await s.call('GET', '/console/api/me')).status).toBe(200)
    const noToken = await s.call('POST', '/console/api/logout', undefined, { csrf: false })
    expect(noToken.status).toBe(403)
    expect((noToken.body as { error: { code: string } }).error.code).toBe('console.csrf_invalid')
    expect((await s.call('POST', '/console/api/logout')).status).toBe(200)
    const after = await s.call('GET', '/console/api/me')
    expect(after.status).toBe(401)
    expect((after.body as { error: { code: string } }).error.code).toBe('console.session_missing')
  })

  it('a new password ends the sessions; a removed operator cannot log in', async () => {
    await addOperator('gina', 'operator', [stack.appId])
    const s = await session('gina')
    const ops = createOperators({ db: stack.wxpush.services.db, store: createConsoleStore() })
    await expect(ops.passwd('gina', 'short')).rejects.toMatchObject({ code: 'console.password_weak' })
    await ops.passwd('gina', 'another long password')
    expect((await s.call('GET', '/console/api/me')).status).toBe(401)
    expect((await login('gina')).status).toBe(401)
    expect((await login('gina', 'another long password')).status).toBe(200)
    await ops.remove('gina')
    expect((await login('gina', 'another long password')).status).toBe(401)
    await expect(ops.remove('gina')).rejects.toMatchObject({ code: 'console.operator_not_found' })
  })

  it('sends exactly as the API does, audits it, and refuses a viewer and a foreign app', async () => {
    const templateId = await createTestTemplate(stack, ORDER_TEMPLATE)
    const user = await createTestUser(stack)
    await user.accept([templateId])
    await addOperator('dave', 'operator', [stack.appId])
    await addOperator('erin', 'viewer', [stack.appId])
    await addOperator('frank', 'operator', ['wx_some_other_app'])
    const send = { to: { openid: user.openid }, template: 'order_notice', data: ORDER_DATA }
    const path = `/console/api/apps/${stack.appId}/messages`

    const viewer = await session('erin')
    const refused = await viewer.call('POST', path, send)
    expect(refused.status).toBe(403)
    expect((refused.body as { error: { code: string } }).error.code).toBe('console.role_forbidden')
    const foreign = await (await session('frank')).call('POST', path, send)
    expect((foreign.body as { error: { code: string } }).error.code).toBe('console.app_forbidden')

    const op = await session('dave')
    // The server's content rules: a 21-character thing is refused with the same error as the API's.
    const tooLong = await op.call('POST', path, { ...send, data: { ...ORDER_DATA, thing1: '一'.repeat(21) } })
    const apiTooLong = await stack.api('POST', '/v1/messages', {
      ...send,
      data: { ...ORDER_DATA, thing1: '一'.repeat(21) },
    })
    expect(tooLong.status).toBe(apiTooLong.status)
    expect(tooLong.body).toEqual(apiTooLong.body)

    const ok = await op.call<{ id: string; status: string }>('POST', path, send)
    expect(ok.status).toBe(202)
    // The credit was spent by the ledger: the second send finds none, as an API send would.
    const again = await op.call<{ error: { code: string } }>('POST', path, send)
    expect(again.status).toBe(409)

    const audit = await op.call<{ items: { username: string; action: string; target: string }[] }>(
      'GET',
      '/console/api/audit',
    )
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({ username: 'dave', action: 'message.send', target: ok.body.id }),
    )
    const listed = await viewer.call<{ items: { id: string }[] }>('GET', path)
    expect(listed.body.items.map((m) => m.id)).toContain(ok.body.id)
  })

  it('runs campaigns through the campaign services: create, live counts, pause, resume, cancel, audited', async () => {
    // Its own alias: the stack (and the order_notice alias) is shared with the tests above.
    const templateId = await createTestTemplate(stack, { ...ORDER_TEMPLATE, alias: 'order_campaign' })
    const user = await createTestUser(stack)
    await user.accept([templateId])
    await addOperator('hana', 'operator', [stack.appId])
    await addOperator('ivan', 'viewer', [stack.appId])
    const base = `/console/api/apps/${stack.appId}/campaigns`
    const body = {
      name: 'spring sale',
      template: 'order_campaign',
      data: ORDER_DATA,
      audience: { consented: true },
    }
    type View = {
      id: string
      status: string
      counts: { recipients: number; sent: number; delivered: number }
    }

    const viewer = await session('ivan')
    const refused = await viewer.call('POST', base, body)
    expect(refused.status).toBe(403)
    expect((refused.body as { error: { code: string } }).error.code).toBe('console.role_forbidden')

    const op = await session('hana')
    // The same content rules as POST /v1/campaigns, the same error.
    const bad = { ...body, data: { ...ORDER_DATA, thing1: '一'.repeat(21) } }
    const consoleBad = await op.call('POST', base, bad)
    const apiBad = await stack.api('POST', '/v1/campaigns', bad)
    expect(consoleBad.status).toBe(422)
    expect(consoleBad.body).toEqual(apiBad.body)

    const created = await op.call<{ id: string }>('POST', base, body)
    expect(created.status).toBe(201)
    const done = await eventually(
      async () => {
        const v = await viewer.call<View>('GET', `${base}/${created.body.id}`)
        return v.body.status === 'completed' ? v.body : undefined
      },
      60_000,
      'the console campaign to complete',
    )
    expect(done.counts.recipients).toBe(1)
    expect(done.counts.sent + done.counts.delivered).toBe(1)
    // The API sees the very campaign the console made.
    expect((await stack.api<View>('GET', `/v1/campaigns/${created.body.id}`)).body.status).toBe('completed')

    const later = await op.call<{ id: string }>('POST', base, {
      ...body,
      name: 'next week',
      audience: { userIds: [user.userId] },
      sendAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    })
    expect(later.status, JSON.stringify(later.body)).toBe(201)
    const id = later.body.id
    expect((await op.call<View>('POST', `${base}/${id}/pause`)).body.status).toBe('paused')
    expect((await viewer.call('POST', `${base}/${id}/resume`)).status).toBe(403)
    expect((await op.call<View>('POST', `${base}/${id}/resume`)).body.status).toBe('scheduled')
    expect((await op.call<View>('POST', `${base}/${id}/cancel`)).body.status).toBe('cancelled')
    const again = await op.call<{ error: { code: string } }>('POST', `${base}/${id}/resume`)
    expect(again.status).toBe(409)

    const list = await viewer.call<{ items: View[] }>('GET', base)
    expect(list.body.items.map((c) => [c.id, c.status])).toEqual([
      [id, 'cancelled'],
      [created.body.id, 'completed'],
    ])
    const audit = await op.call<{ items: { username: string; action: string; target: string }[] }>(
      'GET',
      '/console/api/audit',
    )
    const actions = audit.body.items
      .filter((a) => a.username === 'hana')
      .map((a) => `${a.action} ${a.target}`)
    for (const a of [
      `campaign.create ${created.body.id}`,
      `campaign.create ${id}`,
      `campaign.pause ${id}`,
      `campaign.resume ${id}`,
      `campaign.cancel ${id}`,
    ])
      expect(actions).toContain(a)
  })

  it('finds users by tag and shows their tags; an admin sets the rate limit, audited', async () => {
    const tagged = await createTestUser(stack)
    await createTestUser(stack)
    const put = await stack.api('PUT', `/v1/users/${tagged.userId}/tags`, { add: ['meeting-42'] })
    expect(put.status).toBe(200)
    await addOperator('judy', 'admin', [stack.appId])
    await addOperator('kent', 'operator', [stack.appId])
    const admin = await session('judy')
    type Users = { items: { userId: string; tags: string[] }[] }
    const byTag = await admin.call<Users>('GET', `/console/api/apps/${stack.appId}/users?tag=meeting-42`)
    expect(byTag.body.items).toEqual([
      expect.objectContaining({ userId: tagged.userId, tags: ['meeting-42'] }),
    ])
    const detail = await admin.call<{ tags: string[] }>(
      'GET',
      `/console/api/apps/${stack.appId}/users/${tagged.userId}`,
    )
    expect(detail.body.tags).toEqual(['meeting-42'])

    const path = `/console/api/apps/${stack.appId}/rate-limit`
    expect((await (await session('kent')).call('PUT', path, { perSecond: 5 })).status).toBe(403)
    const tooLow = await admin.call<{ error: { code: string } }>('PUT', path, { perSecond: 0 })
    expect(tooLow.status).toBe(400)
    expect((await admin.call('PUT', path, { perSecond: 5 })).status).toBe(200)
    // Stored where the dispatcher reads it: the Apps page shows it back.
    const keys = await admin.call<{ rateLimit: { perSecond: number } }>(
      'GET',
      `/console/api/apps/${stack.appId}/keys`,
    )
    expect(keys.body.rateLimit.perSecond).toBe(5)
    const audit = await admin.call<{ items: { username: string; action: string }[] }>(
      'GET',
      '/console/api/audit',
    )
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({ username: 'judy', action: 'app.rate_limit' }),
    )
  })
})
