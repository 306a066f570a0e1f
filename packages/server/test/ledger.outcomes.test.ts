// The ledger after WeChat's answer, through the real dispatcher and the simulator's fault rules, on
// both databases: a retriable fault keeps the reservation and the retry consumes it; a token fault
// is retried inside the attempt; retries exhausted give the credit back unless a -1 may have
// delivered; 43101 zeroes the user's credits for the template and keeps the event.
import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../src/testing/test-db.ts'
import { eventually, useTestStack } from '../src/testing/test-stack.ts'
import {
  createTestTemplate,
  createTestUser,
  ORDER_DATA,
  ORDER_TEMPLATE,
  type TestUser,
} from '../src/testing/test-users.ts'
import type { MessageView } from '../src/testing/test-views.ts'

const SEND_PATH = '/cgi-bin/message/subscribe/send'

describe.each(DB_KINDS)('ledger outcomes over the dispatcher on %s', (kind) => {
  // Two attempts at most, retried after ~50 ms: the exhausted case stays short.
  const stack = useTestStack({ kind, env: { WXPUSH_MAX_ATTEMPTS: '2', WXPUSH_RETRY_BASE_MS: '50' } })
  let templateId: string

  beforeAll(async () => {
    templateId = await createTestTemplate(stack, ORDER_TEMPLATE)
  })

  async function userWithCredits(n: number) {
    const user = await createTestUser(stack)
    for (let i = 0; i < n; i++) await user.accept([templateId])
    return user
  }
  const fault = (errcode: number, count: number) =>
    stack.control('/control/faults', { path: SEND_PATH, errcode, rate: 1, count })
  async function sendAndSettle(user: TestUser) {
    const sent = await stack.api<{ id: string }>('POST', '/v1/messages', {
      to: { openid: user.openid },
      template: 'order_notice',
      data: ORDER_DATA,
    })
    expect(sent.status).toBe(202)
    return eventually(async () => {
      const m = await stack.api<MessageView>('GET', `/v1/messages/${sent.body.id}`)
      return m.body.status === 'sent' || m.body.status === 'failed' ? m.body : undefined
    })
  }
  const credits = async (user: TestUser) =>
    (
      await stack.api<{ template: string; credits: number; used: number }[]>(
        'GET',
        `/v1/users/${user.userId}/consents`,
      )
    ).body.find((c) => c.template === templateId)
  /** The events that change credits after enqueue (reservations are counted in `used`). */
  const events = async (user: TestUser) =>
    (
      await sql<{ action: string; delta: number; message_id: string | null }>`
        SELECT action, delta, message_id FROM consent_events
         WHERE user_id = ${user.userId} AND template_id = ${templateId}
           AND action IN ('accept', 'release', 'zero_after_43101') ORDER BY id`.execute(
        stack.wxpush.services.db,
      )
    ).rows

  it('keeps the reservation through a system-busy retry and consumes it once the retry is sent', async () => {
    const user = await userWithCredits(2)
    await fault(-1, 1)
    const m = await sendAndSettle(user)
    expect(m.status).toBe('sent')
    expect(m.attempts).toBe(2)
    expect(m.history.some((h) => h.errcode === -1)).toBe(true)
    expect(await credits(user)).toMatchObject({ credits: 1, used: 1 })
    expect((await events(user)).map((e) => e.action)).toEqual(['accept', 'accept'])
    expect(await user.inbox()).toHaveLength(1)
  })

  it('refreshes the token after 40001 and sends within the same attempt, spending one credit', async () => {
    const user = await userWithCredits(1)
    await fault(40001, 1)
    const m = await sendAndSettle(user)
    expect(m).toMatchObject({ status: 'sent', attempts: 1 })
    expect(await credits(user)).toMatchObject({ credits: 0, used: 1 })
  })

  it('gives the credit back when retries are exhausted on a refusal that did not use it (45011)', async () => {
    const user = await userWithCredits(1)
    // 45011: rate limited, refused before anything was sent.
    await fault(45011, 2)
    const m = await sendAndSettle(user)
    expect(m).toMatchObject({ status: 'failed', reason: 'retries_exhausted', attempts: 2 })
    expect(await credits(user)).toMatchObject({ credits: 1, used: 0 })
    expect((await events(user)).map((e) => [e.action, e.delta])).toEqual([
      ['accept', 1],
      ['release', 1],
    ])
    expect(await user.inbox()).toHaveLength(0)
  })

  it('keeps the credit spent when retries end on -1, whose send may have been delivered', async () => {
    const user = await userWithCredits(1)
    await fault(-1, 2)
    const m = await sendAndSettle(user)
    expect(m).toMatchObject({ status: 'failed', reason: 'retries_exhausted', errcode: -1 })
    expect(await credits(user)).toMatchObject({ credits: 0, used: 1 })
    expect((await events(user)).map((e) => e.action)).toEqual(['accept'])
  })

  it('zeroes the user’s credits for the template on 43101 and keeps the event', async () => {
    const user = await userWithCredits(2)
    await fault(43101, 1)
    const m = await sendAndSettle(user)
    expect(m).toMatchObject({ status: 'failed', reason: 'user_refused', errcode: 43101 })
    expect(await credits(user)).toMatchObject({ credits: 0, used: 2 })
    const zero = (await events(user)).find((e) => e.action === 'zero_after_43101')
    expect(zero).toEqual({ action: 'zero_after_43101', delta: -1, message_id: m.id })

    const refused = await stack.api<{ error: { code: string } }>('POST', '/v1/messages', {
      to: { openid: user.openid },
      template: 'order_notice',
      data: ORDER_DATA,
    })
    expect(refused.status).toBe(409)
    expect(refused.body.error.code).toBe('messages.no_credit')

    // A new accept counts again from the corrected ledger.
    await user.accept([templateId])
    expect(await credits(user)).toMatchObject({ credits: 1 })
    expect((await sendAndSettle(user)).status).toBe('sent')
    expect(await credits(user)).toMatchObject({ credits: 0 })
  })
})
