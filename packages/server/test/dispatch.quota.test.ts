// 45009 (the daily quota used up) holds the app's messages until the next quota day: no backoff
// retries that only spend attempts, no further WeChat calls from this process, credits kept reserved.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../src/testing/test-db.ts'
import { eventually, startTestStack, type TestStack } from '../src/testing/test-stack.ts'
import {
  createTestTemplate,
  ORDER_DATA,
  ORDER_TEMPLATE,
  seedUsersWithCredits,
} from '../src/testing/test-users.ts'
import type { MessageView } from '../src/testing/test-views.ts'

const SEND = '/cgi-bin/message/subscribe/send'

describe.each(DB_KINDS)('daily quota on %s', (kind) => {
  let stack: TestStack
  let templateId: string

  beforeAll(async () => {
    stack = await startTestStack({ kind, env: { WXPUSH_RETRY_BASE_MS: '20', WXPUSH_MAX_ATTEMPTS: '3' } })
    templateId = await createTestTemplate(stack, ORDER_TEMPLATE)
  }, 60_000)
  afterAll(async () => {
    await stack?.close()
  })

  const send = async (openid: string) =>
    (
      await stack.api<{ id: string }>('POST', '/v1/messages', {
        to: { openid },
        template: templateId,
        data: ORDER_DATA,
      })
    ).body.id
  const heldByQuota = (id: string) =>
    eventually(
      async () => {
        const m = (await stack.api<MessageView & { runAt: string }>('GET', `/v1/messages/${id}`)).body
        return m.status === 'queued' && m.reason === 'quota_exceeded' ? m : undefined
      },
      30_000,
      `message ${id} held by the quota`,
    )
  const sendCalls = async () =>
    (await stack.control<{ calls: Record<string, { total: number }> }>('/control/stats', undefined, 'GET'))
      .calls[SEND]?.total ?? 0

  it('holds the message until 00:01 CST with its attempt not counted, and the next one without a call', async () => {
    const [u] = await seedUsersWithCredits(stack, { users: 1, templateId, credits: 2 })
    await stack.control('/control/faults', { path: SEND, errcode: 45009, count: 1 })

    const first = await heldByQuota(await send(u!.openid))
    expect(first).toMatchObject({ errcode: 45009, attempts: 0 })
    const runAt = new Date(first.runAt)
    expect(runAt.getTime()).toBeGreaterThan(Date.now())
    expect(runAt.getTime() - Date.now()).toBeLessThanOrEqual(86_400_000 + 60_000)
    expect([runAt.getUTCHours(), runAt.getUTCMinutes()]).toEqual([16, 1])
    const callsAfterFirst = await sendCalls()
    expect(callsAfterFirst).toBe(1)

    const second = await heldByQuota(await send(u!.openid))
    expect(second.runAt).toBe(first.runAt)
    expect(second.attempts).toBe(0)
    expect(await sendCalls()).toBe(callsAfterFirst)

    // Held messages can be cancelled, and their credits come back.
    for (const id of [first.id, second.id]) {
      expect((await stack.api('POST', `/v1/messages/${id}/cancel`)).status).toBe(200)
    }
    const consents = (
      await stack.api<{ template: string; credits: number }[]>('GET', `/v1/users/${u!.userId}/consents`)
    ).body
    expect(consents.find((c) => c.template === templateId)?.credits).toBe(2)
  }, 90_000)
})
