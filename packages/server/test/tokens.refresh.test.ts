// The shared access_token on both databases, against the simulator: one fetch from cold however
// many callers (and processes) ask at once, one refresh after a token error with the message still
// sent, and the opt-in endpoint that hands the token to the team's other backends.
import { afterAll, describe, expect, it } from 'vitest'
import { startWxpush, type Running } from '../src/main.ts'
import { DB_KINDS } from '../src/testing/test-db.ts'
import { eventually, type TestStack, useTestStack } from '../src/testing/test-stack.ts'
import { createTestTemplate, createTestUser, ORDER_DATA, ORDER_TEMPLATE } from '../src/testing/test-users.ts'

const STABLE = '/cgi-bin/stable_token'

async function tokenCalls(stack: TestStack, path = STABLE): Promise<number> {
  const stats = await stack.control<{ calls: Record<string, { total: number }> }>(
    '/control/stats',
    undefined,
    'GET',
  )
  return stats.calls[path]?.total ?? 0
}
async function refreshes(stack: TestStack, appId = stack.appId): Promise<number> {
  const row = await stack.wxpush.services.db
    .selectFrom('access_tokens')
    .select('refreshes')
    .where('app_id', '=', appId)
    .executeTakeFirst()
  return row?.refreshes ?? 0
}

describe.each(DB_KINDS)('the shared access_token on %s', (kind) => {
  const stack = useTestStack({ kind, env: { WXPUSH_EXPOSE_ACCESS_TOKEN: 'true' } })
  let second: Running | undefined
  afterAll(async () => {
    await second?.stop()
  })

  it('fetches the token once from cold for 50 callers at once', async () => {
    expect(await tokenCalls(stack)).toBe(0)
    const callers: Promise<string>[] = []
    for (let i = 0; i < 50; i++) callers.push(stack.wxpush.services.tokens.get(stack.appId))
    if (kind === 'postgres') {
      // A second wxpush on the same database, asking at the same time from its own cold start.
      second = await startWxpush({
        env: {
          ...stack.database.env,
          WXPUSH_MODE: 'dev',
          WXPUSH_LOG_LEVEL: 'silent',
          WXPUSH_WECHAT_BASE_URL: stack.simulatorUrl,
        },
        listen: false,
      })
      for (let i = 0; i < 50; i++) callers.push(second.services.tokens.get(stack.appId))
    }
    const tokens = new Set(await Promise.all(callers))
    expect(tokens.size).toBe(1)
    expect(tokens.has(stack.simulator.world.apps.get(stack.appId)!.stable!.token)).toBe(true)
    expect(await tokenCalls(stack)).toBe(1)
    expect(await refreshes(stack)).toBe(1)
  })

  it.skipIf(kind === 'pglite')(
    'lets two wxpush processes on one Postgres share the token fetched by the first (PGlite: one process per data folder)',
    async () => {
      // `second` was started cold in the test above; it reads the stored token, never WeChat.
      const before = await tokenCalls(stack)
      expect(await second!.services.tokens.get(stack.appId)).toBe(
        await stack.wxpush.services.tokens.get(stack.appId),
      )
      expect(await tokenCalls(stack)).toBe(before)
      // Stopped here so the sends below are dispatched by the first process only: the second
      // would heal its stale cached token from the database, which is right but not counted.
      await second!.stop()
      second = undefined
    },
  )

  it('refreshes once after WeChat invalidated the token mid-send, and the message is still sent', async () => {
    const templateId = await createTestTemplate(stack, ORDER_TEMPLATE)
    const user = await createTestUser(stack)
    await user.accept([templateId])
    const callsBefore = await tokenCalls(stack)
    const refreshesBefore = await refreshes(stack)
    // The next send finds its token invalidated (as after a secret reset): WeChat answers 40001.
    await stack.control('/control/faults', {
      path: '/cgi-bin/message/subscribe/send',
      invalidateToken: true,
      count: 1,
    })
    const sent = await stack.api<{ id: string }>('POST', '/v1/messages', {
      to: { openid: user.openid },
      template: templateId,
      data: ORDER_DATA,
    })
    expect(sent.status).toBe(202)
    const done = await eventually(async () => {
      const m = await stack.api<{ status: string; attempts: number }>('GET', `/v1/messages/${sent.body.id}`)
      return m.body.status === 'sent' || m.body.status === 'failed' ? m.body : undefined
    })
    expect(done.status).toBe('sent')
    const stats = await stack.control<{ calls: Record<string, { errcodes: Record<string, number> }> }>(
      '/control/stats',
      undefined,
      'GET',
    )
    expect(stats.calls['/cgi-bin/message/subscribe/send']?.errcodes['40001']).toBe(1)
    expect(await tokenCalls(stack)).toBe(callsBefore + 1)
    expect(await refreshes(stack)).toBe(refreshesBefore + 1)
    expect(await user.inbox()).toHaveLength(1)
  })

  it('forces one refresh when WeChat refuses a token it still hands out (40001), and the message is sent', async () => {
    const templateId = (
      await stack.api<{ items: { id: string; alias: string }[] }>('GET', '/v1/templates')
    ).body.items.find((t) => t.alias === ORDER_TEMPLATE.alias)!.id
    const user = await createTestUser(stack)
    await user.accept([templateId])
    const oldToken = await stack.wxpush.services.tokens.get(stack.appId)
    const callsBefore = await tokenCalls(stack)
    const refreshesBefore = await refreshes(stack)
    await stack.control('/control/faults', {
      path: '/cgi-bin/message/subscribe/send',
      errcode: 40001,
      count: 1,
    })
    const sent = await stack.api<{ id: string }>('POST', '/v1/messages', {
      to: { openid: user.openid },
      template: templateId,
      data: ORDER_DATA,
    })
    const done = await eventually(async () => {
      const m = await stack.api<{ status: string }>('GET', `/v1/messages/${sent.body.id}`)
      return m.body.status === 'sent' || m.body.status === 'failed' ? m.body : undefined
    })
    expect(done.status).toBe('sent')
    // One refresh: the plain stable_token call gives back the very token WeChat just refused,
    // so the refresher asks once more with force_refresh (two calls, one new token).
    expect(await refreshes(stack)).toBe(refreshesBefore + 1)
    expect(await tokenCalls(stack)).toBe(callsBefore + 2)
    const newToken = await stack.wxpush.services.tokens.get(stack.appId)
    expect(newToken).not.toBe(oldToken)
    expect(newToken).toBe(stack.simulator.world.apps.get(stack.appId)!.stable!.token)
  })

  it('recovers when another party forces a refresh: 40001 on a token still fresh in the database', async () => {
    const templateId =
      (await stack.api<{ items: { id: string; alias: string }[] }>('GET', '/v1/templates')).body.items.find(
        (t) => t.alias === ORDER_TEMPLATE.alias,
      )?.id ?? (await createTestTemplate(stack, ORDER_TEMPLATE))
    const user = await createTestUser(stack)
    await user.accept([templateId])
    await user.accept([templateId])
    const send = async () => {
      const sent = await stack.api<{ id: string }>('POST', '/v1/messages', {
        to: { openid: user.openid },
        template: templateId,
        data: ORDER_DATA,
      })
      return eventually(async () => {
        const m = await stack.api<{ status: string }>('GET', `/v1/messages/${sent.body.id}`)
        return m.body.status === 'sent' || m.body.status === 'failed' ? m.body : undefined
      })
    }
    expect((await send()).status).toBe('sent')
    const ours = await stack.wxpush.services.tokens.get(stack.appId)
    const refreshesBefore = await refreshes(stack)
    const errcodes40001 = async () =>
      (
        await stack.control<{ calls: Record<string, { errcodes: Record<string, number> }> }>(
          '/control/stats',
          undefined,
          'GET',
        )
      ).calls['/cgi-bin/message/subscribe/send']?.errcodes['40001'] ?? 0
    const rejectedBefore = await errcodes40001()
    // The other party: someone else holding the AppSecret kills the token (WeChat's way to revoke a
    // leaked one). Ours has hours left in the database, and WeChat now refuses it.
    const { secret } = stack.simulator.world.apps.get(stack.appId)!
    // WeChat ignores a force within 30 s of the previous one (a test above forced one).
    await stack.control('/control/clock', { advanceMs: 31_000 })
    const forced = await stack.control<{ access_token: string }>('/cgi-bin/stable_token', {
      grant_type: 'client_credential',
      appid: stack.appId,
      secret,
      force_refresh: true,
    })
    expect(forced.access_token).not.toBe(ours)
    expect((await send()).status).toBe('sent')
    expect(await errcodes40001()).toBe(rejectedBefore + 1)
    expect(await refreshes(stack)).toBe(refreshesBefore + 1)
    expect(await stack.wxpush.services.tokens.get(stack.appId)).toBe(forced.access_token)
  })

  it('fetches a classic token once from cold when the app is in classic mode', async () => {
    const sim = await stack.control<{ appid: string; secret: string }>('/control/apps')
    await stack.wxpush.services.apps.createApp({
      appId: sim.appid,
      secret: sim.secret,
      tokenMode: 'classic',
    })
    const before = await tokenCalls(stack, '/cgi-bin/token')
    const tokens = await Promise.all(
      Array.from({ length: 20 }, () => stack.wxpush.services.tokens.get(sim.appid)),
    )
    expect(new Set(tokens).size).toBe(1)
    expect(await tokenCalls(stack, '/cgi-bin/token')).toBe(before + 1)
    expect(stack.simulator.world.apps.get(sim.appid)!.classic!.token).toBe(tokens[0])
  })

  it('hands the token to the app’s admin-scope key only, with its expiry', async () => {
    const get = async (key: string, appId = stack.appId) => {
      const res = await fetch(`${stack.apiUrl}/v1/apps/${appId}/access-token`, {
        headers: { authorization: `Bearer ${key}` },
      })
      return {
        status: res.status,
        cache: res.headers.get('cache-control'),
        body: (await res.json()) as {
          accessToken?: string
          expiresAt?: string
          error?: { code: string }
        },
      }
    }
    const appScope = await get(stack.apiKey)
    expect(appScope.status).toBe(403)
    expect(appScope.body.error?.code).toBe('auth.forbidden')

    const { apiKey: adminKey } = await stack.wxpush.services.apps.issueApiKey(stack.appId, 'admin')
    const ok = await get(adminKey)
    expect(ok.status).toBe(200)
    expect(ok.cache).toBe('no-store')
    expect(ok.body.accessToken).toBe(stack.simulator.world.apps.get(stack.appId)!.stable!.token)
    expect(Date.parse(ok.body.expiresAt!)).toBeGreaterThan(Date.now())

    const sim = await stack.control<{ appid: string; secret: string }>('/control/apps')
    await stack.wxpush.services.apps.createApp({
      appId: sim.appid,
      secret: sim.secret,
      tokenMode: 'stable',
    })
    const otherApp = await get(adminKey, sim.appid)
    expect(otherApp.status).toBe(403)
    expect(otherApp.body.error?.code).toBe('auth.forbidden')
    const noKey = await fetch(`${stack.apiUrl}/v1/apps/${stack.appId}/access-token`)
    expect(noKey.status).toBe(401)
  })
})
