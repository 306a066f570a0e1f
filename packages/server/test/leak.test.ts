// No secret leaks: the whole flow at debug log level, on both databases, with every log line and
// every response body kept. App secret, session_keys, access_tokens, master key, admin key, callback
// Token and EncodingAESKey must appear nowhere; an API key or a session token only in the one
// answer that hands it out; the access_token only in the answers of the endpoint that shares it.
import { randomBytes } from 'node:crypto'
import { Writable } from 'node:stream'
import { createSimulator } from '@wxpush/simulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger, REDACT_PATHS } from '../src/logger.ts'
import { startWxpush, type Running } from '../src/main.ts'
import { createTestDatabase, DB_KINDS, type TestDatabase } from '../src/testing/test-db.ts'
import { eventually } from '../src/testing/test-stack.ts'
import { ORDER_DATA, ORDER_TEMPLATE } from '../src/testing/test-users.ts'

function lineCollector() {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      for (const l of chunk.toString().split('\n')) if (l) lines.push(l)
      done()
    },
  })
  return { lines, stream }
}

describe('the logger’s redaction', () => {
  it('redacts every secret-bearing field at the top, one and two levels down', () => {
    const { lines, stream } = lineCollector()
    const log = createLogger('debug', stream)
    const fields = [
      'secret',
      'appSecret',
      'accessToken',
      'access_token',
      'sessionKey',
      'session_key',
      'apiKey',
      'token',
      'encodingAesKey',
      'masterKey',
      'adminKey',
      'sessionToken',
      'authorization',
      'cookie',
    ]
    for (const f of fields) {
      const v = `leak-${f}-${randomBytes(6).toString('hex')}`
      log.debug({ [f]: v, req: { [f]: v, headers: { [f]: v } } }, 'probe')
      expect(lines.at(-1)).not.toContain(v)
      expect(REDACT_PATHS).toContain(f)
    }
    expect(lines).toHaveLength(fields.length)
  })
})

describe.each(DB_KINDS)('no secret in logs or answers on %s', (kind) => {
  const masterKey = randomBytes(32).toString('base64')
  const adminKey = `adm_${randomBytes(24).toString('base64url')}`
  const callbackToken = `cbt${randomBytes(8).toString('hex')}`
  const aesKey = randomBytes(32).toString('base64').slice(0, 43).replace(/[+/]/g, 'A')
  const { lines, stream } = lineCollector()
  const bodies: { what: string; text: string }[] = []
  const simulator = createSimulator({ callbackRetryDelaysMs: [50, 100] })
  let database: TestDatabase
  let wxpush: Running
  let simulatorUrl = ''
  let failed = false

  beforeAll(async () => {
    database = await createTestDatabase(kind)
    simulatorUrl = await simulator.listen()
    wxpush = await startWxpush({
      env: {
        ...database.env,
        WXPUSH_MODE: 'production',
        WXPUSH_MASTER_KEY: masterKey,
        WXPUSH_ADMIN_KEY: adminKey,
        WXPUSH_EXPOSE_ACCESS_TOKEN: 'true',
        WXPUSH_LOG_LEVEL: 'debug',
        WXPUSH_PORT: '0',
        WXPUSH_WECHAT_BASE_URL: simulatorUrl,
        WXPUSH_DISPATCH_POLL_MS: '50',
      },
      logStream: stream,
    })
  })
  afterAll(async () => {
    await wxpush?.stop()
    await simulator.close()
    await database?.drop(failed)
  })

  const call = async <T = Record<string, unknown>>(
    what: string,
    method: string,
    path: string,
    p: { body?: unknown; bearer?: string; status?: number } = {},
  ) => {
    const res = await fetch(wxpush.apiUrl + path, {
      method,
      headers: {
        ...(p.bearer ? { authorization: `Bearer ${p.bearer}` } : {}),
        ...(p.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(p.body === undefined ? {} : { body: JSON.stringify(p.body) }),
    })
    const text = await res.text()
    bodies.push({ what, text })
    if (p.status !== undefined) expect(res.status, `${what}: ${text}`).toBe(p.status)
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T }
  }
  const control = async <T = Record<string, unknown>>(path: string, body: unknown = {}, method = 'POST') => {
    const res = await fetch(`${simulatorUrl}${path}`, {
      method,
      ...(method === 'GET'
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    })
    if (!res.ok) throw new Error(`simulator ${path}: ${res.status} ${await res.text()}`)
    return (await res.json()) as T
  }

  it('runs admin → keys → callback config → templates → login → consent → send → token refresh → token endpoint, and leaks nothing', async () => {
    try {
      // The operator creates the app and a second, admin-scope key.
      const sim = await control<{ appid: string; secret: string }>('/control/apps')
      const appId = sim.appid
      const admin = { bearer: adminKey }
      const created = await call<{ apiKey: { key: string } }>('admin.create', 'POST', '/v1/admin/apps', {
        ...admin,
        body: { appId, secret: sim.secret, name: 'leak' },
        status: 201,
      })
      const appKey = created.body.apiKey.key
      const issued = await call<{ key: string; id: string }>(
        'admin.key',
        'POST',
        `/v1/admin/apps/${appId}/keys`,
        {
          ...admin,
          body: { scope: 'admin' },
          status: 201,
        },
      )
      const adminScopeKey = issued.body.key
      await call('admin.list', 'GET', '/v1/admin/apps', { ...admin, status: 200 })
      await call('admin.keys', 'GET', `/v1/admin/apps/${appId}/keys`, { ...admin, status: 200 })
      const rotate = `/v1/admin/apps/${appId}/rotate-secret`
      await call('admin.rotate', 'POST', rotate, { ...admin, body: { secret: sim.secret }, status: 200 })
      await call('admin.dup', 'POST', '/v1/admin/apps', {
        ...admin,
        body: { appId, secret: sim.secret },
        status: 409,
      })
      await call('admin.bad', 'POST', rotate, { ...admin, body: { secret: `${sim.secret} x` }, status: 400 })
      await call('admin.wrong', 'GET', '/v1/admin/apps', { bearer: `${adminKey}x`, status: 401 })

      // Message push in secure mode: the callback Token and EncodingAESKey are secrets too.
      const callback = { token: callbackToken, encodingAesKey: aesKey, mode: 'secure', format: 'json' }
      await call('callback.put', 'PUT', `/v1/apps/${appId}/callback`, {
        bearer: adminScopeKey,
        body: callback,
        status: 200,
      })
      const url = `${wxpush.apiUrl}/wechat/callback/${appId}`
      await control(`/control/apps/${appId}`, { callback: { url, ...callback } }, 'PATCH')

      // Templates: created in "WeChat", synced, given an alias.
      const { priTmplId } = await control<{ priTmplId: string }>(`/control/apps/${appId}/templates`, {
        title: ORDER_TEMPLATE.title,
        type: 2,
        keywords: ORDER_TEMPLATE.keywords,
      })
      await call('templates.sync', 'POST', '/v1/templates/sync', { bearer: appKey, status: 200 })
      await call('templates.alias', 'PUT', `/v1/templates/${priTmplId}/alias`, {
        bearer: appKey,
        body: { alias: ORDER_TEMPLATE.alias },
        status: 200,
      })

      // A user logs in twice (two session tokens) and accepts twice; one login with a bad code.
      const { openid } = await control<{ openid: string }>(`/control/apps/${appId}/users`)
      const sessions: string[] = []
      for (let i = 0; i < 2; i++) {
        const { code } = await control<{ code: string }>(`/control/apps/${appId}/users/${openid}/login`)
        const login = await call<{ token: string }>(`login.${i}`, 'POST', '/v1/auth/login', {
          body: { appId, code },
          status: 200,
        })
        sessions.push(login.body.token)
      }
      await call('login.bad', 'POST', '/v1/auth/login', {
        body: { appId, code: 'not-a-code-000' },
        status: 400,
      })
      for (const session of sessions) {
        const answer = await control<Record<string, string>>(
          `/control/apps/${appId}/users/${openid}/subscribe`,
          {
            results: { [priTmplId]: 'accept' },
          },
        )
        await call('consents', 'POST', '/v1/consents', {
          bearer: session,
          body: { results: { [priTmplId]: answer[priTmplId] } },
          status: 200,
        })
      }

      // Two sends; WeChat invalidates the token during the second: one refresh, still sent.
      for (const invalidate of [false, true]) {
        if (invalidate) {
          const fault = { path: '/cgi-bin/message/subscribe/send', invalidateToken: true, count: 1 }
          await control('/control/faults', fault)
        }
        const sent = await call<{ id: string }>('messages.send', 'POST', '/v1/messages', {
          bearer: appKey,
          body: { to: { openid }, template: ORDER_TEMPLATE.alias, data: ORDER_DATA },
          status: 202,
        })
        const done = await eventually(async () => {
          const m = await call<{ status: string }>('messages.get', 'GET', `/v1/messages/${sent.body.id}`, {
            bearer: appKey,
          })
          // The sent event comes back through the secure-mode callback: 'delivered' may come first.
          return ['sent', 'delivered', 'failed'].includes(m.body.status) ? m.body : undefined
        })
        expect(['sent', 'delivered']).toContain(done.status)
      }
      const user = await call<{ id: string }>('users.find', 'GET', `/v1/users?openid=${openid}`, {
        bearer: appKey,
      })
      await call('users.consents', 'GET', `/v1/users/${user.body.id}/consents`, {
        bearer: appKey,
        status: 200,
      })

      // The token endpoint, the one place an access_token may be shown; then the key is revoked.
      const tokenPath = `/v1/apps/${appId}/access-token`
      const shared = await call<{ accessToken: string }>('token.shared', 'GET', tokenPath, {
        bearer: adminScopeKey,
        status: 200,
      })
      await call('token.app', 'GET', tokenPath, { bearer: appKey, status: 403 })
      await call('revoke', 'DELETE', `/v1/admin/apps/${appId}/keys/${issued.body.id}`, {
        ...admin,
        status: 200,
      })
      await call('token.revoked', 'GET', tokenPath, { bearer: adminScopeKey, status: 401 })
      await simulator.callbacksIdle()
      // The secrets, as WeChat (the simulator) and we know them.
      const world = simulator.world
      const simApp = world.apps.get(appId)!
      const sessionKeys = [...simApp.users.values()].map((u) => u.sessionKey)
      const accessTokens = [...world.tokens.values()].filter((t) => t.appid === appId).map((t) => t.token)
      expect(accessTokens.length).toBeGreaterThanOrEqual(2) // the first and the one after invalidation
      expect(sessionKeys.length).toBe(1)
      expect(simulator.context.stats.callbacks.delivered).toBeGreaterThan(0)

      const nowhere: Record<string, string> = {
        appSecret: sim.secret,
        masterKey,
        adminKey,
        callbackToken,
        aesKey,
        ...Object.fromEntries(sessionKeys.map((k, i) => [`sessionKey${i}`, k])),
      }
      const onceIn: Record<string, { value: string; where: string[] }> = {
        appKey: { value: appKey, where: ['admin.create'] },
        adminScopeKey: { value: adminScopeKey, where: ['admin.key'] },
        session0: { value: sessions[0]!, where: ['login.0'] },
        session1: { value: sessions[1]!, where: ['login.1'] },
        ...Object.fromEntries(
          accessTokens.map((t, i) => [`accessToken${i}`, { value: t, where: ['token.shared'] }]),
        ),
      }
      expect(lines.length).toBeGreaterThan(20) // debug level did log the requests
      const leaks: string[] = []
      for (const [name, value] of Object.entries(nowhere)) {
        for (const l of lines) if (l.includes(value)) leaks.push(`${name} in log: ${l.slice(0, 200)}`)
        for (const b of bodies) if (b.text.includes(value)) leaks.push(`${name} in answer ${b.what}`)
      }
      for (const [name, { value, where }] of Object.entries(onceIn)) {
        for (const l of lines) if (l.includes(value)) leaks.push(`${name} in log: ${l.slice(0, 200)}`)
        for (const b of bodies)
          if (b.text.includes(value) && !where.includes(b.what)) leaks.push(`${name} in answer ${b.what}`)
      }
      expect(leaks).toEqual([])
      // Each one-time value was indeed shown where it belongs (so the checks above can fail).
      expect(bodies.filter((b) => b.text.includes(appKey)).map((b) => b.what)).toEqual(['admin.create'])
      expect(bodies.filter((b) => b.text.includes(adminScopeKey)).map((b) => b.what)).toEqual(['admin.key'])
      expect(bodies.find((b) => b.what === 'token.shared')?.text).toContain(shared.body.accessToken)
    } catch (err) {
      failed = true
      throw err
    }
  }, 120_000)
})
