// The ledger under contention, over real HTTP on both databases: 50 sends at once for a user with
// 3 one-time credits. Exactly 3 are accepted, 47 refused with messages.no_credit, and WeChat (the
// simulator) is called exactly 3 times. On PGlite the requests serialise through its single
// connection; on Postgres they race for the consents row lock (the UPDATE … WHERE credits left > 0 of
// consentGate, inside the enqueue statement).
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { DB_KINDS } from '../src/testing/test-db.ts'
import { eventually, useTestStack } from '../src/testing/test-stack.ts'
import { createTestTemplate, createTestUser, ORDER_DATA, ORDER_TEMPLATE } from '../src/testing/test-users.ts'

const SENDS = 50
const CREDITS = 3
const SEND_PATH = '/cgi-bin/message/subscribe/send'

describe.each(DB_KINDS)('concurrent sends against the ledger on %s', (kind) => {
  const stack = useTestStack({ kind })

  it('accepts exactly 3 of 50 simultaneous sends for 3 credits and WeChat receives exactly 3', async () => {
    const templateId = await createTestTemplate(stack, ORDER_TEMPLATE)
    const user = await createTestUser(stack)
    for (let i = 0; i < CREDITS; i++) expect((await user.accept([templateId])).status).toBe(200)

    const answers = await Promise.all(
      Array.from({ length: SENDS }, (_, i) =>
        stack.api<{ id?: string; error?: { code: string } }>('POST', '/v1/messages', {
          to: { openid: user.openid },
          template: 'order_notice',
          data: { ...ORDER_DATA, number2: String(1000 + i) },
        }),
      ),
    )
    const accepted = answers.filter((a) => a.status === 202)
    const refused = answers.filter((a) => a.status === 409)
    expect(accepted).toHaveLength(CREDITS)
    expect(refused).toHaveLength(SENDS - CREDITS)
    expect(new Set(refused.map((a) => a.body.error?.code))).toEqual(new Set(['messages.no_credit']))

    const ids = accepted.map((a) => a.body.id ?? '')
    await eventually(
      async () => {
        const states = await Promise.all(
          ids.map(
            async (id) => (await stack.api<{ status: string }>('GET', `/v1/messages/${id}`)).body.status,
          ),
        )
        return states.every((s) => s === 'sent') ? true : undefined
      },
      20_000,
      'the 3 messages to be sent',
    )

    const stats = await stack.control<{
      calls: Record<string, { total: number; errcodes: Record<string, number> }>
    }>('/control/stats', undefined, 'GET')
    expect(stats.calls[SEND_PATH]).toEqual({ total: CREDITS, errcodes: { '0': CREDITS } })
    const inbox = await user.inbox()
    expect(inbox).toHaveLength(CREDITS)
    expect(new Set(inbox.map((m) => m.data.number2?.value)).size).toBe(CREDITS)

    const consents = await stack.api<{ template: string; credits: number; used: number }[]>(
      'GET',
      `/v1/users/${user.userId}/consents`,
    )
    expect(consents.body.find((c) => c.template === templateId)).toMatchObject({
      credits: 0,
      used: CREDITS,
    })
    // Nothing was given back or written off: the 3 credits went to the 3 sends.
    const events = await sql<{ action: string; n: number }>`
          SELECT action, count(*)::int AS n FROM consent_events
           WHERE user_id = ${user.userId} AND action IN ('accept', 'release', 'zero_after_43101')
           GROUP BY action`.execute(stack.wxpush.services.db)
    expect(events.rows).toEqual([{ action: 'accept', n: CREDITS }])
  })
})
