// Graceful shutdown: stop() takes no new work, lets the sends in flight finish and records them.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDb } from '../src/db/db.ts'
import { DB_KINDS } from '../src/testing/test-db.ts'
import { eventually, startTestStack, type TestStack } from '../src/testing/test-stack.ts'
import {
  createTestTemplate,
  ORDER_DATA,
  ORDER_TEMPLATE,
  seedUsersWithCredits,
} from '../src/testing/test-users.ts'

const SEND = '/cgi-bin/message/subscribe/send'

describe.each(DB_KINDS)('graceful shutdown on %s', (kind) => {
  let stack: TestStack

  beforeAll(async () => {
    stack = await startTestStack({
      kind,
      env: { WXPUSH_DISPATCH_CONCURRENCY: '4', WXPUSH_DISPATCH_BATCH: '4' },
    })
  })
  afterAll(async () => {
    await stack?.close()
  })

  it('finishes the sends in flight and leaves the rest queued, none stuck in sending', async () => {
    const templateId = await createTestTemplate(stack, ORDER_TEMPLATE)
    const users = await seedUsersWithCredits(stack, { users: 20, templateId, credits: 1 })
    // "WeChat" answers slowly, so that sends are in flight when the stop comes.
    await stack.control('/control/faults', { path: SEND, delayMs: 400, rate: 1 })
    for (const u of users) {
      const r = await stack.api('POST', '/v1/messages', {
        to: { openid: u.openid },
        template: templateId,
        data: ORDER_DATA,
      })
      expect(r.status).toBe(202)
    }
    const db = stack.wxpush.services.db
    const count = async (status: string) =>
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM messages WHERE status = ${status}`.execute(db))
        .rows[0]!.n
    await eventually(async () => ((await count('sending')) > 0 ? true : undefined), 10_000, 'sends in flight')

    await stack.wxpush.stop()

    // The stopped instance closed its database: read the outcome through a connection of our own.
    const check = await openDb({
      databaseUrl: stack.database.env.DATABASE_URL,
      dataDir: `${stack.database.dataDir}/pglite`,
    })
    const rows = await sql<{
      status: string
      n: number
    }>`SELECT status, count(*)::int AS n FROM messages GROUP BY status`.execute(check.db)
    await check.close()
    const by = Object.fromEntries(rows.rows.map((r) => [r.status, r.n]))
    expect(by.sending ?? 0).toBe(0)
    expect(by.sent).toBeGreaterThan(0)
    expect((by.sent ?? 0) + (by.queued ?? 0)).toBe(20)
    const inbox = (
      await Promise.all(
        users.map((u) =>
          stack.control<unknown[]>(`/control/apps/${stack.appId}/users/${u.openid}/inbox`, undefined, 'GET'),
        ),
      )
    ).flat()
    expect(inbox).toHaveLength(by.sent ?? 0)
  })
})
