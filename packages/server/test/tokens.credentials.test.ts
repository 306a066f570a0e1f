// A wrong AppSecret (40001 on the token endpoint, as WeChat's getAccessToken table defines it there):
// wxpush asks WeChat once, marks the app's credentials invalid (health, metrics, the admin app list),
// and the waiting messages say so without spending their attempts; a rotated secret resumes them.
import { describe, expect, it } from 'vitest'
import { DB_KINDS } from '../src/testing/test-db.ts'
import { eventually, useTestStack } from '../src/testing/test-stack.ts'
import { createTestTemplate, createTestUser, ORDER_DATA, ORDER_TEMPLATE } from '../src/testing/test-users.ts'
import type { MessageView } from '../src/testing/test-views.ts'

const ADMIN_KEY = 'adm_test_0123456789abcdefghijklmnopqrstuvwxyz'
const STABLE = '/cgi-bin/stable_token'

describe.each(DB_KINDS)('refused credentials on %s', (kind) => {
  const stack = useTestStack({
    kind,
    env: { WXPUSH_ADMIN_KEY: ADMIN_KEY, WXPUSH_CREDENTIALS_RECHECK_MS: '200', WXPUSH_RETRY_BASE_MS: '50' },
  })
  const admin = async <T>(method: string, path: string, body?: unknown) => {
    const res = await fetch(stack.apiUrl + path, {
      method,
      headers: {
        authorization: `Bearer ${ADMIN_KEY}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return { status: res.status, body: (await res.json()) as T }
  }
  const tokenErrcodes = async () =>
    (
      await stack.control<{ calls: Record<string, { total: number; errcodes: Record<string, number> }> }>(
        '/control/stats',
        undefined,
        'GET',
      )
    ).calls[STABLE] ?? { total: 0, errcodes: {} }

  it('stops asking after 40001, says so everywhere, keeps the attempts, and resumes after a rotation', async () => {
    const templateId = await createTestTemplate(stack, ORDER_TEMPLATE)
    const user = await createTestUser(stack)
    for (let i = 0; i < 3; i++) await user.accept([templateId])
    const { secret } = stack.simulator.world.apps.get(stack.appId)!
    // Someone pasted a wrong secret (the usual 32-hex shape: WeChat answers 40001), and the current
    // token is gone (WeChat killed it): the next send needs a new token.
    await stack.wxpush.services.apps.rotateSecret(stack.appId, 'f'.repeat(32))
    await stack.control(`/control/apps/${stack.appId}/tokens/invalidate`)

    const ids: string[] = []
    for (let i = 0; i < 3; i++) {
      const sent = await stack.api<{ id: string }>('POST', '/v1/messages', {
        to: { openid: user.openid },
        template: templateId,
        data: ORDER_DATA,
      })
      expect(sent.status).toBe(202)
      ids.push(sent.body.id)
    }
    await eventually(async () => {
      const views = await Promise.all(
        ids.map(async (id) => (await stack.api<MessageView>('GET', `/v1/messages/${id}`)).body),
      )
      return views.every((m) => m.history.some((h) => h.reason === 'tokens.credentials_invalid'))
        ? views
        : undefined
    })
    // Let several rechecks pass (200 ms each), then look again: still waiting, nothing burnt.
    await eventually(async () => {
      const rows = await stack.wxpush.services.db
        .selectFrom('messages')
        .select(['id'])
        .where('id', 'in', ids)
        .where('updated_at', '>', new Date(Date.now() - 100))
        .execute()
      return rows.length > 0 ? true : undefined
    })
    const views = await Promise.all(
      ids.map(async (id) => (await stack.api<MessageView>('GET', `/v1/messages/${id}`)).body),
    )
    for (const m of views) {
      // Waiting, or being rechecked right now: either way no attempt is spent beyond the one in flight.
      expect(['queued', 'sending']).toContain(m.status)
      expect(m.attempts).toBe(m.status === 'queued' ? 0 : 1)
      expect(m.history.filter((h) => h.reason === 'tokens.credentials_invalid')).toHaveLength(1)
      expect(m.history.find((h) => h.reason === 'tokens.credentials_invalid')?.detail).toContain('40001')
    }
    const refused = await tokenErrcodes()
    expect(refused.errcodes['40001']).toBe(1)

    const health = await fetch(`${stack.apiUrl}/v1/health`)
    expect(
      ((await health.json()) as { credentialsInvalid: { appId: string; errcode: number }[] })
        .credentialsInvalid,
    ).toEqual([expect.objectContaining({ appId: stack.appId, errcode: 40001 })])
    const metrics = await (await fetch(`${stack.apiUrl}/metrics`)).text()
    expect(metrics).toContain(`wxpush_app_credentials_invalid{app_id="${stack.appId}"} 1`)
    const listed = await admin<{
      items: { appId: string; credentials: { status: string; errcode: number | null } }[]
    }>('GET', '/v1/admin/apps')
    expect(listed.body.items.find((a) => a.appId === stack.appId)?.credentials).toMatchObject({
      status: 'invalid',
      errcode: 40001,
    })
    // Still only the one call at WeChat's token endpoint.
    expect((await tokenErrcodes()).total).toBe(refused.total)

    // The operator puts the right secret back: the messages go out, and the marks are gone.
    expect((await admin('POST', `/v1/admin/apps/${stack.appId}/rotate-secret`, { secret })).status).toBe(200)
    for (const id of ids) {
      const done = await eventually(async () => {
        const m = (await stack.api<MessageView>('GET', `/v1/messages/${id}`)).body
        return m.status === 'sent' || m.status === 'delivered' || m.status === 'failed' ? m : undefined
      })
      expect(['sent', 'delivered']).toContain(done.status)
    }
    expect(await user.inbox()).toHaveLength(3)
    const after = await fetch(`${stack.apiUrl}/v1/health`)
    expect(((await after.json()) as { credentialsInvalid: unknown[] }).credentialsInvalid).toEqual([])
    expect(await (await fetch(`${stack.apiUrl}/metrics`)).text()).not.toContain(
      `wxpush_app_credentials_invalid{app_id="${stack.appId}"}`,
    )
    const relisted = await admin<{ items: { appId: string; credentials: { status: string } }[] }>(
      'GET',
      '/v1/admin/apps',
    )
    expect(relisted.body.items.find((a) => a.appId === stack.appId)?.credentials.status).toBe('ok')
  })
})
