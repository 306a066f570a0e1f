// Postgres restarted in the middle of a run: the service resumes by itself (claims, finishes, the
// LISTEN connection, the API), and every message still ends sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPrivatePostgres, type PrivatePostgres } from '../src/testing/private-postgres.ts'
import { eventually, messagesSettled, startTestStack, type TestStack } from '../src/testing/test-stack.ts'
import {
  createTestTemplate,
  ORDER_DATA,
  ORDER_TEMPLATE,
  seedUsersWithCredits,
} from '../src/testing/test-users.ts'

const SEND = '/cgi-bin/message/subscribe/send'

describe('a Postgres restart mid-run (a private cluster, so other suites are not disturbed)', () => {
  let pg: PrivatePostgres
  let stack: TestStack

  beforeAll(async () => {
    pg = await startPrivatePostgres()
    stack = await startTestStack({
      kind: 'postgres',
      adminUrl: pg.url,
      env: { WXPUSH_LEASE_MS: '2000', WXPUSH_RETRY_BASE_MS: '50', WXPUSH_DISPATCH_POLL_MS: '100' },
    })
  })
  afterAll(async () => {
    await stack?.close()
    pg?.stop()
  })

  it('resumes by itself and ends every message sent', async () => {
    const templateId = await createTestTemplate(stack, ORDER_TEMPLATE)
    const users = await seedUsersWithCredits(stack, { users: 100, templateId, credits: 20 })
    for (const u of stack.simulator.world.apps.get(stack.appId)!.users.values()) {
      const c = u.consents.get(templateId)
      if (c) c.credits = 40 // room for duplicates of sends in flight at the restart (see the crash test)
    }
    // Slow "WeChat" down so that the restart lands in the middle of the run.
    await stack.control('/control/faults', { path: SEND, delayMs: 20, rate: 1 })
    const enqueue = (openid: string) =>
      stack.api<{ id: string }>('POST', '/v1/messages', {
        to: { openid },
        template: templateId,
        data: ORDER_DATA,
      })
    const before: string[] = []
    for (const u of users) for (let i = 0; i < 10; i++) before.push((await enqueue(u.openid)).body.id)

    const sentCalls = async () =>
      (await stack.control<{ calls: Record<string, { total: number }> }>('/control/stats', undefined, 'GET'))
        .calls[SEND]?.total ?? 0
    await eventually(async () => ((await sentCalls()) >= 200 ? true : undefined), 30_000, '200 sends')
    pg.restart()

    // While the pool reconnects, a request may meet the dead connections: 503 with a code, never a 500.
    const during = await enqueue(users[0]!.openid)
    expect([202, 503]).toContain(during.status)

    await eventually(
      async () => ((await fetch(`${stack.apiUrl}/v1/health`)).status === 200 ? true : undefined),
      30_000,
      'health after the restart',
    )

    // Accepted after the restart: the API is back.
    const after: string[] = []
    for (const u of users.slice(0, 50)) after.push((await enqueue(u.openid)).body.id)
    expect(after.every(Boolean)).toBe(true)

    const db = stack.wxpush.services.db
    const counts = await messagesSettled(db, 60_000)
    const accepted = before.length + after.length + (during.status === 202 ? 1 : 0)
    expect(counts).toEqual({ sent: accepted })
    await stack.control('/control/faults', {}, 'DELETE')
  }, 240_000) // a private cluster restarted, 60 s of waiting at most; see vitest.config.ts
})
