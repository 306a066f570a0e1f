// Exactly once where WeChat allows it, measured under the fault mix of issue 10: 4 % of sends delivered
// with the answer lost, 3 % dropped before WeChat saw them, 3 % answered -1 (not delivered). Each
// message carries its own marker, so the simulated phones tell how many cards each produced.
//   before (no callbacks)  WXPUSH_RETRY_UNCERTAIN=true: duplicates; =false: credits counted as spent
//                          that WeChat still has (ledger drift)
//   after (callbacks)      an unknown outcome waits for subscribe_msg_sent_event: no duplicate, no drift
// The figures are printed (docs/delivery.md quotes them); only the "after" invariant is asserted.
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { DB_KINDS } from '../src/testing/test-db.ts'
import { eventually, startTestStack, type TestStack } from '../src/testing/test-stack.ts'
import {
  createTestTemplate,
  ORDER_DATA,
  ORDER_TEMPLATE,
  seedUsersWithCredits,
} from '../src/testing/test-users.ts'

const SEND = '/cgi-bin/message/subscribe/send'
const USERS = 30
const PER_USER = 3

interface Figures {
  messages: number
  duplicates: number
  lostCards: number
  deliveredButFailed: number
  ledgerDrift: number
  statuses: Record<string, number>
}

async function configureCallbacks(stack: TestStack) {
  const adminKey = (await stack.wxpush.services.apps.issueApiKey(stack.appId, 'admin')).apiKey
  const token = `tok${randomBytes(6).toString('hex')}`
  const put = await stack.api(
    'PUT',
    `/v1/apps/${stack.appId}/callback`,
    { token, mode: 'plain', format: 'json' },
    { authorization: `Bearer ${adminKey}` },
  )
  expect(put.status).toBe(200)
  await stack.control(
    `/control/apps/${stack.appId}`,
    {
      callback: {
        url: `${stack.apiUrl}/wechat/callback/${stack.appId}`,
        token,
        mode: 'plain',
        format: 'json',
      },
    },
    'PATCH',
  )
}

async function runFaultMix(stack: TestStack): Promise<Figures> {
  const templateId = await createTestTemplate(stack, ORDER_TEMPLATE)
  const users = await seedUsersWithCredits(stack, { users: USERS, templateId, credits: PER_USER })
  for (const fault of [
    { path: SEND, drop: true, after: true, rate: 0.04 },
    { path: SEND, drop: true, rate: 0.03 },
    { path: SEND, errcode: -1, rate: 0.03 },
  ])
    await stack.control('/control/faults', fault)

  const ids = new Map<string, string>() // marker → message id
  let n = 0
  for (const u of users) {
    for (let k = 0; k < PER_USER; k++) {
      const marker = `m${n++}`
      const r = await stack.api<{ id: string }>('POST', '/v1/messages', {
        to: { openid: u.openid },
        template: templateId,
        data: { ...ORDER_DATA, thing6: marker },
      })
      expect(r.status).toBe(202)
      ids.set(marker, r.body.id)
    }
  }
  const db = stack.wxpush.services.db
  // Every message ends: sent, delivered or failed (outcome_unknown included).
  await eventually(
    async () => {
      const r = await sql<{ n: string }>`
        SELECT count(*)::text AS n FROM messages
         WHERE app_id = ${stack.appId} AND status NOT IN ('sent', 'delivered', 'failed')`.execute(db)
      return r.rows[0]?.n === '0' ? true : undefined
    },
    150_000,
    'every message to end',
  )
  await stack.simulator.callbacksIdle()

  const rows = await db
    .selectFrom('messages')
    .select(['id', 'status'])
    .where('app_id', '=', stack.appId)
    .execute()
  const statusOf = new Map(rows.map((r) => [r.id, r.status as string]))
  const statuses: Record<string, number> = {}
  for (const s of statusOf.values()) statuses[s] = (statuses[s] ?? 0) + 1

  const app = stack.simulator.world.apps.get(stack.appId)!
  const cards = new Map<string, number>()
  let ledgerDrift = 0
  for (const u of users) {
    const simUser = app.users.get(u.openid)!
    for (const item of simUser.inbox) {
      const marker = item.data.thing6?.value ?? ''
      cards.set(marker, (cards.get(marker) ?? 0) + 1)
    }
    const wechatLeft = simUser.consents.get(templateId)?.credits ?? 0
    const ours = (
      await stack.api<{ template: string; credits: number }[]>('GET', `/v1/users/${u.userId}/consents`)
    ).body.find((c) => c.template === templateId)?.credits
    ledgerDrift += Math.abs((ours ?? 0) - wechatLeft)
  }
  let duplicates = 0
  let lostCards = 0
  let deliveredButFailed = 0
  for (const [marker, id] of ids) {
    const c = cards.get(marker) ?? 0
    const status = statusOf.get(id)
    if (c > 1) duplicates += c - 1
    if (c === 0 && (status === 'sent' || status === 'delivered')) lostCards++
    if (c > 0 && status === 'failed') deliveredButFailed++
  }
  return { messages: ids.size, duplicates, lostCards, deliveredButFailed, ledgerDrift, statuses }
}

const FAST = { WXPUSH_RETRY_BASE_MS: '20', WXPUSH_MAX_ATTEMPTS: '8' }

describe.each(DB_KINDS)('exactly once under lost answers on %s', (kind) => {
  const scenario = async (name: string, env: Record<string, string>, callbacks: boolean) => {
    const stack = await startTestStack({ kind, env: { ...FAST, ...env } })
    let ok = false
    try {
      if (callbacks) await configureCallbacks(stack)
      const figures = await runFaultMix(stack)
      console.log(`[exactly-once] ${kind} ${name}: ${JSON.stringify(figures)}`)
      ok = true
      return figures
    } finally {
      await stack.close(!ok)
    }
  }

  it('before, without callbacks: WXPUSH_RETRY_UNCERTAIN=true duplicates, false leaves drift (figures printed)', async () => {
    const retry = await scenario('no callbacks, WXPUSH_RETRY_UNCERTAIN=true', {}, false)
    const noRetry = await scenario(
      'no callbacks, WXPUSH_RETRY_UNCERTAIN=false',
      { WXPUSH_RETRY_UNCERTAIN: 'false' },
      false,
    )
    // The documented trade-off without evidence: at-least-once never loses a card it counted...
    expect(retry.lostCards).toBe(0)
    // ...and at-most-once never sends a card twice.
    expect(noRetry.duplicates).toBe(0)
  }, 400_000)

  it('after, with callbacks: an unknown outcome is settled by subscribe_msg_sent_event — no duplicate, no drift', async () => {
    const f = await scenario(
      'callbacks, WXPUSH_DELIVERY_EVIDENCE_WAIT_MS=20000',
      { WXPUSH_DELIVERY_EVIDENCE_WAIT_MS: '20000' },
      true,
    )
    expect(f.duplicates).toBe(0)
    expect(f.ledgerDrift).toBe(0)
    expect(f.lostCards).toBe(0)
    expect(f.deliveredButFailed).toBe(0)
  }, 400_000)
})
