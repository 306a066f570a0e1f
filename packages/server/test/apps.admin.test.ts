// The admin API over real HTTP on both databases: apps, their secrets and API keys, behind the
// service-wide admin key. Answers never carry a secret except the one-time API key.
import { describe, expect, it } from 'vitest'
import { DB_KINDS } from '../src/testing/test-db.ts'
import { useTestStack } from '../src/testing/test-stack.ts'

const ADMIN_KEY = 'adm_test_0123456789abcdefghijklmnopqrstuvwxyz'

interface ErrorBody {
  error: { code: string; details: { fields?: { field: string }[] } & Record<string, unknown> }
}
interface KeyView {
  id: string
  key?: string
  prefix: string
  scope: string
  createdAt: string
  lastUsedAt: string | null
  revokedAt: string | null
}

describe.each(DB_KINDS)('the admin API on %s', (kind) => {
  const stack = useTestStack({ kind, env: { WXPUSH_ADMIN_KEY: ADMIN_KEY } })

  const admin = async <T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    key: string | null = ADMIN_KEY,
  ) => {
    const res = await fetch(stack.apiUrl + path, {
      method,
      headers: {
        ...(key === null ? {} : { authorization: `Bearer ${key}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await res.text()
    return { status: res.status, text, body: (text ? JSON.parse(text) : {}) as T }
  }
  const withKey = (key: string, path: string, method = 'GET') =>
    fetch(stack.apiUrl + path, {
      method,
      headers: { authorization: `Bearer ${key}` },
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as ErrorBody }))
  const simulatorApp = () => stack.control<{ appid: string; secret: string }>('/control/apps')

  it('creates an app and shows its first API key once, with no secret in any answer', async () => {
    const sim = await simulatorApp()
    const created = await admin<{
      app: { appId: string; name: string; tokenMode: string; createdAt: string }
      apiKey: KeyView
    }>('POST', '/v1/admin/apps', { appId: sim.appid, secret: sim.secret, name: '测试应用' })
    expect(created.status).toBe(201)
    expect(created.body.app).toMatchObject({ appId: sim.appid, name: '测试应用', tokenMode: 'stable' })
    expect(created.body.apiKey.key).toMatch(/^wxpk_/)
    expect(created.body.apiKey.scope).toBe('app')
    expect(created.text).not.toContain(sim.secret)

    // The key works for the app's own routes (404 on an unknown user means it passed auth).
    const probe = await withKey(created.body.apiKey.key!, '/v1/users?openid=nobody')
    expect(probe.status).toBe(404)
    expect(probe.body.error.code).toBe('users.not_found')

    const list = await admin<{ items: { appId: string }[] }>('GET', '/v1/admin/apps')
    expect(list.status).toBe(200)
    expect(list.body.items.map((a) => a.appId)).toContain(sim.appid)
    expect(list.text).not.toContain(sim.secret)
    expect(list.text).not.toContain(created.body.apiKey.key!)

    const again = await admin<ErrorBody>('POST', '/v1/admin/apps', {
      appId: sim.appid,
      secret: sim.secret,
    })
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('apps.exists')
    expect(again.text).not.toContain(sim.secret)
  })

  it('rotates a wrong secret to the right one and WeChat calls start to work', async () => {
    const sim = await simulatorApp()
    const wrong = `${sim.secret.slice(0, -1)}${sim.secret.endsWith('0') ? '1' : '0'}`
    const created = await admin<{ apiKey: { key: string } }>('POST', '/v1/admin/apps', {
      appId: sim.appid,
      secret: wrong,
    })
    expect(created.status).toBe(201)
    const refused = await withKey(created.body.apiKey.key, '/v1/templates/sync', 'POST')
    expect(refused.status).toBe(502)
    expect(refused.body.error.code).toBe('tokens.credentials_invalid')
    expect(JSON.stringify(refused.body)).not.toContain(wrong)
    // WeChat refused that secret once: asking again answers at once, without another token call.
    const stableCalls = () =>
      stack.simulator.context.stats.toJSON().calls['/cgi-bin/stable_token']?.total ?? 0
    const callsAfterRefusal = stableCalls()
    const again = await withKey(created.body.apiKey.key, '/v1/templates/sync', 'POST')
    expect(again.body.error.code).toBe('tokens.credentials_invalid')
    expect(stableCalls()).toBe(callsAfterRefusal)

    const rotated = await admin<{ appId: string }>('POST', `/v1/admin/apps/${sim.appid}/rotate-secret`, {
      secret: sim.secret,
    })
    expect(rotated.status).toBe(200)
    expect(rotated.body.appId).toBe(sim.appid)
    expect(rotated.text).not.toContain(sim.secret)
    const synced = await withKey(created.body.apiKey.key, '/v1/templates/sync', 'POST')
    expect(synced.status).toBe(200)

    const unknown = await admin<ErrorBody>('POST', '/v1/admin/apps/wxnope/rotate-secret', {
      secret: sim.secret,
    })
    expect(unknown.status).toBe(404)
    expect(unknown.body.error.code).toBe('apps.not_found')
  })

  it('issues keys shown once, lists them without the key, and a revoked key stops at once', async () => {
    const issued = await admin<KeyView>('POST', `/v1/admin/apps/${stack.appId}/keys`, { scope: 'admin' })
    expect(issued.status).toBe(201)
    expect(issued.body.key).toMatch(/^wxpa_/)
    expect(issued.body.scope).toBe('admin')
    const key = issued.body.key!

    // Used once: the key is now in this process's 10-second cache, and last used is recorded.
    expect((await withKey(key, '/v1/users?openid=nobody')).status).toBe(404)

    const listed = await admin<{ items: KeyView[] }>('GET', `/v1/admin/apps/${stack.appId}/keys`)
    expect(listed.status).toBe(200)
    expect(listed.text).not.toContain(key)
    expect(listed.text).not.toContain(stack.apiKey)
    const row = listed.body.items.find((k) => k.id === issued.body.id)
    expect(row).toMatchObject({ prefix: key.slice(0, 9), scope: 'admin', revokedAt: null })
    expect(row?.lastUsedAt).not.toBeNull()
    expect(Object.keys(row ?? {}).sort()).toEqual(
      ['createdAt', 'id', 'lastUsedAt', 'prefix', 'revokedAt', 'scope'].sort(),
    )

    const revoked = await admin('DELETE', `/v1/admin/apps/${stack.appId}/keys/${issued.body.id}`)
    expect(revoked.status).toBe(200)
    expect(revoked.body).toEqual({ id: issued.body.id, revoked: true })
    const after = await withKey(key, '/v1/users?openid=nobody')
    expect(after.status).toBe(401)
    expect(after.body.error.code).toBe('auth.api_key_invalid')

    const listedAfter = await admin<{ items: KeyView[] }>('GET', `/v1/admin/apps/${stack.appId}/keys`)
    expect(listedAfter.body.items.find((k) => k.id === issued.body.id)?.revokedAt).not.toBeNull()

    const twice = await admin<ErrorBody>('DELETE', `/v1/admin/apps/${stack.appId}/keys/${issued.body.id}`)
    expect(twice.status).toBe(404)
    expect(twice.body.error.code).toBe('admin.api_key_not_found')
    const otherApp = await admin<ErrorBody>('DELETE', `/v1/admin/apps/wxnope/keys/${issued.body.id}`)
    expect(otherApp.status).toBe(404)
    expect(otherApp.body.error.code).toBe('apps.not_found')
    // The app's first key is untouched.
    expect((await withKey(stack.apiKey, '/v1/users?openid=nobody')).status).toBe(404)
  })

  it('refuses a missing or wrong admin key, and an app API key in its place', async () => {
    const none = await admin<ErrorBody>('GET', '/v1/admin/apps', undefined, null)
    expect(none.status).toBe(401)
    expect(none.body.error.code).toBe('admin.key_missing')
    const wrong = await admin<ErrorBody>('GET', '/v1/admin/apps', undefined, `${ADMIN_KEY}x`)
    expect(wrong.status).toBe(401)
    expect(wrong.body.error.code).toBe('admin.key_invalid')
    const appKey = await admin<ErrorBody>('GET', '/v1/admin/apps', undefined, stack.apiKey)
    expect(appKey.status).toBe(401)
    expect(appKey.body.error.code).toBe('admin.key_invalid')
  })

  it('answers bad admin bodies with 400 naming each field', async () => {
    const fieldsOf = (b: ErrorBody) => (b.error.details.fields ?? []).map((f) => f.field)
    const noSecret = await admin<ErrorBody>('POST', '/v1/admin/apps', { appId: 'wx1', tokenMode: 'fast' })
    expect(noSecret.status).toBe(400)
    expect(noSecret.body.error.code).toBe('request.invalid')
    expect(fieldsOf(noSecret.body)).toEqual(expect.arrayContaining(['body.secret', 'body.tokenMode']))
    const badScope = await admin<ErrorBody>('POST', `/v1/admin/apps/${stack.appId}/keys`, { scope: 'root' })
    expect(badScope.status).toBe(400)
    expect(fieldsOf(badScope.body)).toContain('body.scope')
    const badId = await admin<ErrorBody>('POST', '/v1/admin/apps/bad%20id/rotate-secret', { secret: 's' })
    expect(badId.status).toBe(400)
    expect(fieldsOf(badId.body)).toContain('params.appId')
    const spaceSecret = await admin<ErrorBody>('POST', `/v1/admin/apps/${stack.appId}/rotate-secret`, {
      secret: 'has a space',
    })
    expect(spaceSecret.status).toBe(400)
    expect(fieldsOf(spaceSecret.body)).toContain('body.secret')
    expect(JSON.stringify(spaceSecret.body)).not.toContain('has a space')
  })
})
