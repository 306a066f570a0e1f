// The same idempotency key sent to two wxpush instances at once (one Postgres): one message, one credit.
// Postgres only: PGlite is one process by design, so there is no second instance to race.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWxpush, type Running } from '../src/main.ts'
import { startTestStack, type TestStack } from '../src/testing/test-stack.ts'
import {
  createTestTemplate,
  ORDER_DATA,
  ORDER_TEMPLATE,
  seedUsersWithCredits,
} from '../src/testing/test-users.ts'

describe('idempotency keys across processes (Postgres)', () => {
  let stack: TestStack
  let second: Running

  beforeAll(async () => {
    stack = await startTestStack({ kind: 'postgres' })
    second = await startWxpush({
      env: {
        ...stack.database.env,
        WXPUSH_MODE: 'dev',
        WXPUSH_PORT: '0',
        WXPUSH_LOG_LEVEL: 'silent',
        WXPUSH_WECHAT_BASE_URL: stack.simulatorUrl,
      },
    })
  })
  afterAll(async () => {
    await second?.stop()
    await stack?.close()
  })

  it('answers every racing request with the first message and spends one credit', async () => {
    const templateId = await createTestTemplate(stack, ORDER_TEMPLATE)
    const [u] = await seedUsersWithCredits(stack, { users: 1, templateId, credits: 5 })
    const body = JSON.stringify({
      to: { openid: u!.openid },
      template: templateId,
      data: ORDER_DATA,
      idempotencyKey: 'race-1',
    })
    const post = (base: string) =>
      fetch(`${base}/v1/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
        body,
      }).then(async (r) => ({ status: r.status, id: ((await r.json()) as { id: string }).id }))
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(i % 2 === 0 ? stack.apiUrl : second.apiUrl)),
    )
    expect(new Set(answers.map((a) => a.id)).size).toBe(1)
    expect(answers.filter((a) => a.status === 202)).toHaveLength(1)
    expect(answers.filter((a) => a.status === 200)).toHaveLength(19)
    const db = stack.wxpush.services.db
    const rows = await sql<{
      n: number
    }>`SELECT count(*)::int AS n FROM messages WHERE idempotency_key = 'race-1'`.execute(db)
    expect(rows.rows[0]?.n).toBe(1)
    const used = await sql<{ used: number }>`SELECT used FROM consents WHERE user_id = ${u!.userId}`.execute(
      db,
    )
    expect(used.rows[0]?.used).toBe(1)
  })
})
