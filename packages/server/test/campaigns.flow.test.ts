// Campaigns end to end over real HTTP on both databases: every audience kind, one message per user,
// skipped counts (no WeChat call for a recipient without credit), uploads with per-line errors,
// pause / resume / cancel with credits given back, and the bad inputs of issue 12.
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { DB_KINDS } from '../src/testing/test-db.ts'
import { eventually, useTestStack, type TestStack } from '../src/testing/test-stack.ts'
import {
  createTestTemplate,
  createTestUser,
  ORDER_DATA,
  ORDER_TEMPLATE,
  type TestUser,
} from '../src/testing/test-users.ts'

interface CampaignView {
  id: string
  status: string
  counts: Record<'recipients' | 'pending' | 'queued' | 'sent' | 'delivered' | 'failed' | 'skipped', number>
  skippedBy: Record<string, number>
  failedBy: Record<string, number>
  startedAt?: string
  completedAt?: string
}
interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> }
}

const SEND = '/cgi-bin/message/subscribe/send'
const sendCalls = async (stack: TestStack) =>
  (await stack.control<{ calls: Record<string, { total: number }> }>('/control/stats', undefined, 'GET'))
    .calls[SEND]?.total ?? 0

async function finished(stack: TestStack, id: string, status = 'completed') {
  return eventually(
    async () => {
      const c = await stack.api<CampaignView>('GET', `/v1/campaigns/${id}`)
      return c.body.status === status && c.body.counts.queued === 0 ? c.body : undefined
    },
    60_000,
    `campaign ${id} ${status}`,
  )
}

async function upload(stack: TestStack, id: string, type: string, body: string | Uint8Array) {
  const res = await fetch(`${stack.apiUrl}/v1/campaigns/${id}/recipients`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': type },
    body,
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

function sumCounts(c: CampaignView) {
  const k = c.counts
  return k.pending + k.queued + k.sent + k.delivered + k.failed + k.skipped
}

describe.each(DB_KINDS)('campaigns on %s', (kind) => {
  const stack = useTestStack({ kind })
  let templateId = ''
  const users: TestUser[] = []

  it('sends once to every consented user and completes, every message listed under the campaign', async () => {
    templateId = await createTestTemplate(stack, ORDER_TEMPLATE)
    for (let i = 0; i < 5; i++) users.push(await createTestUser(stack))
    // users 0–2 accept (user 0 twice: still one message), 3 and 4 never do
    for (const u of users.slice(0, 3)) await u.accept([templateId])
    await users[0]!.accept([templateId])

    const created = await stack.api<{ id: string; status: string }>('POST', '/v1/campaigns', {
      name: '散会通知',
      template: 'order_notice',
      data: ORDER_DATA,
      audience: { consented: true },
    })
    expect(created.status).toBe(201)
    expect(created.body.status).toBe('running')
    const done = await finished(stack, created.body.id)
    expect(done.counts).toMatchObject({ recipients: 3, sent: 3, skipped: 0, failed: 0, pending: 0 })
    expect(done.completedAt).toBeDefined()
    for (const u of users.slice(0, 3)) expect(await u.inbox()).toHaveLength(1)
    for (const u of users.slice(3)) expect(await u.inbox()).toHaveLength(0)

    const listed = await stack.api<{ items: { to: { userId: string } }[] }>(
      'GET',
      `/v1/messages?campaign=${created.body.id}`,
    )
    expect(listed.body.items.map((m) => m.to.userId).sort()).toEqual(
      users
        .slice(0, 3)
        .map((u) => u.userId)
        .sort(),
    )
  })

  it('sends one message per user whatever the list repeats, and skips the rest with reasons and no WeChat call', async () => {
    for (const u of users.slice(0, 2)) await u.accept([templateId])
    const before = await sendCalls(stack)
    const created = await stack.api<{ id: string }>('POST', '/v1/campaigns', {
      name: 'dedupe',
      template: templateId,
      data: ORDER_DATA,
      audience: {
        openids: [
          users[0]!.openid,
          users[1]!.openid,
          users[0]!.openid,
          users[3]!.openid,
          'nobody',
          users[1]!.openid,
        ],
      },
    })
    expect(created.status).toBe(201)
    const done = await finished(stack, created.body.id)
    expect(done.counts).toMatchObject({ recipients: 6, sent: 2, skipped: 4, pending: 0 })
    expect(done.skippedBy).toEqual({ duplicate: 2, unknown_recipient: 1, no_credit: 1 })
    expect(sumCounts(done)).toBe(6)
    expect((await sendCalls(stack)) - before).toBe(2)
    expect(await users[0]!.inbox()).toHaveLength(2)
    expect(await users[3]!.inbox()).toHaveLength(0)
  })

  it('reaches a tag and a list of user ids', async () => {
    for (const u of users.slice(0, 3)) {
      await u.accept([templateId])
      await stack.api('PUT', `/v1/users/${u.userId}/tags`, { add: ['meeting-7'] })
    }
    const byTag = await stack.api<{ id: string }>('POST', '/v1/campaigns', {
      name: 'tag',
      template: 'order_notice',
      data: ORDER_DATA,
      audience: { tag: 'meeting-7' },
    })
    const t = await finished(stack, byTag.body.id)
    expect(t.counts).toMatchObject({ recipients: 3, sent: 3 })

    await users[4]!.accept([templateId])
    const byIds = await stack.api<{ id: string }>('POST', '/v1/campaigns', {
      name: 'ids',
      template: 'order_notice',
      data: ORDER_DATA,
      audience: { userIds: [users[4]!.userId, 'usr_unknown'] },
    })
    const i = await finished(stack, byIds.body.id)
    expect(i.counts).toMatchObject({ recipients: 2, sent: 1, skipped: 1 })
    expect(i.skippedBy).toEqual({ unknown_recipient: 1 })
  })

  it('takes an upload with per-recipient values, reports bad lines by number, and sends the good ones', async () => {
    for (const u of users.slice(0, 3)) await u.accept([templateId])
    const { thing1: _, ...rest } = ORDER_DATA
    const created = await stack.api<{ id: string; status: string }>('POST', '/v1/campaigns', {
      name: 'upload',
      template: 'order_notice',
      data: rest,
      audience: { upload: true },
    })
    expect(created.body.status).toBe('draft')
    const id = created.body.id
    const csv = [
      'openid,thing1',
      `${users[0]!.openid},签到成功`,
      `${users[1]!.openid},"散会后, 即可离开"`,
      `${users[2]!.openid},${'长'.repeat(30)}`, // thing: at most 20 characters
      `${users[2]!.openid}`, // wrong column count
      `,空`, // no recipient
    ].join('\n')
    const up = await upload(stack, id, 'text/csv', csv)
    expect(up.status).toBe(200)
    expect(up.body['accepted']).toBe(2)
    const rejected = up.body['rejected'] as {
      line: number
      error: { code: string; details: { reason?: string } }
    }[]
    expect(rejected.map((r) => [r.line, r.error.code, r.error.details.reason])).toEqual([
      [4, 'messages.content_invalid', undefined],
      [5, 'campaigns.line_invalid', 'column_count'],
      [6, 'campaigns.line_invalid', 'recipient_missing'],
    ])
    const nd = await upload(
      stack,
      id,
      'application/x-ndjson',
      `{"userId":"${users[2]!.userId}","thing1":"第三位"}\nnot json\n`,
    )
    expect(nd.body['accepted']).toBe(1)

    const started = await stack.api<CampaignView>('POST', `/v1/campaigns/${id}/start`)
    expect(started.status).toBe(200)
    const done = await finished(stack, id)
    expect(done.counts).toMatchObject({ recipients: 7, sent: 3, skipped: 4 })
    expect(done.skippedBy).toEqual({ invalid: 4 })
    const last = async (u: TestUser) => (await u.inbox()).at(-1)?.data.thing1?.value
    expect(await last(users[0]!)).toBe('签到成功')
    expect(await last(users[1]!)).toBe('散会后, 即可离开')
    expect(await last(users[2]!)).toBe('第三位')
  })

  it('pauses, resumes and cancels; cancel gives the reserved credits back', async () => {
    const extra: TestUser[] = []
    for (let i = 0; i < 4; i++) {
      const u = await createTestUser(stack)
      await u.accept([templateId])
      extra.push(u)
    }
    const created = await stack.api<{ id: string }>('POST', '/v1/campaigns', {
      name: 'slow',
      template: 'order_notice',
      data: ORDER_DATA,
      audience: { userIds: extra.map((u) => u.userId) },
      ratePerSecond: 0.5,
    })
    const id = created.body.id
    // The bucket holds one send; the rest wait for the rate.
    await eventually(async () => {
      const c = await stack.api<CampaignView>('GET', `/v1/campaigns/${id}`)
      return c.body.counts.sent >= 1 && c.body.counts.pending === 0 ? true : undefined
    })
    const paused = await stack.api<CampaignView>('POST', `/v1/campaigns/${id}/pause`)
    expect(paused.body.status).toBe('paused')
    const again = await stack.api<ErrorBody>('POST', `/v1/campaigns/${id}/pause`)
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('campaigns.state_conflict')
    expect((await stack.api<CampaignView>('POST', `/v1/campaigns/${id}/resume`)).body.status).toBe('running')

    const cancelled = await stack.api<CampaignView>('POST', `/v1/campaigns/${id}/cancel`)
    expect(cancelled.status).toBe(200)
    expect(cancelled.body.status).toBe('cancelled')
    const done = await finished(stack, id, 'cancelled')
    const sent = done.counts.sent + done.counts.delivered
    expect(sent).toBeGreaterThanOrEqual(1)
    expect(sent).toBeLessThan(4)
    expect(done.skippedBy['cancelled']).toBe(4 - sent)
    expect(sumCounts(done)).toBe(4)
    // Every user who got nothing has the credit back; the others spent theirs.
    const db = stack.wxpush.services.db
    let credits = 0
    for (const u of extra) {
      const r = await sql<{ credits: number }>`
        SELECT greatest(reported, confirmed) - used AS credits FROM consents
         WHERE user_id = ${u.userId} AND template_id = ${templateId}`.execute(db)
      const got = (await u.inbox()).length
      expect(r.rows[0]!.credits).toBe(1 - got)
      credits += r.rows[0]!.credits
    }
    expect(credits).toBe(4 - sent)
    const late = await stack.api<ErrorBody>('POST', `/v1/campaigns/${id}/resume`)
    expect(late.status).toBe(409)
  })

  it('refuses the bad inputs with a catalogued 4xx and creates nothing', async () => {
    const base = { name: 'bad', template: 'order_notice', data: ORDER_DATA }
    const count = async () =>
      Number(
        (await sql<{ n: string }>`SELECT count(*) AS n FROM campaigns`.execute(stack.wxpush.services.db))
          .rows[0]!.n,
      )
    const before = await count()
    const cases: [unknown, number, string][] = [
      [{ ...base, template: 'nope', audience: { consented: true } }, 404, 'templates.not_found'],
      [{ ...base, audience: { tag: 'nobody-has-this' } }, 422, 'campaigns.tag_unknown'],
      [{ ...base, audience: { tag: 'bad tag' } }, 422, 'users.tag_invalid'],
      [{ ...base, audience: { userIds: ['usr_a'] }, data: { thing1: 'x' } }, 422, 'messages.content_invalid'],
      [{ ...base, audience: { userIds: [] } }, 400, 'request.invalid'],
    ]
    for (const [body, status, code] of cases) {
      const res = await stack.api<ErrorBody>('POST', '/v1/campaigns', body)
      expect([res.status, res.body.error.code]).toEqual([status, code])
    }
    // a template nobody consented to: the consented audience is empty
    await createTestTemplate(stack, { ...ORDER_TEMPLATE, alias: 'lonely' })
    const empty = await stack.api<ErrorBody>('POST', '/v1/campaigns', {
      ...base,
      template: 'lonely',
      audience: { consented: true },
    })
    expect([empty.status, empty.body.error.code]).toEqual([422, 'campaigns.audience_empty'])
    expect(await count()).toBe(before)

    const draft = await stack.api<{ id: string }>('POST', '/v1/campaigns', {
      ...base,
      audience: { upload: true },
    })
    const id = draft.body.id
    const noStart = await stack.api<ErrorBody>('POST', `/v1/campaigns/${id}/start`)
    expect([noStart.status, noStart.body.error.code]).toEqual([422, 'campaigns.audience_empty'])
    const uploads: [string, string | Uint8Array, number, string, number?][] = [
      ['text/csv', `openid\n${users[0]!.openid}\n"unbalanced\n`, 422, 'campaigns.upload_malformed', 3],
      ['text/csv', `openid,thing99\n${users[0]!.openid},x\n`, 422, 'campaigns.upload_columns_invalid'],
      ['text/csv', `openid,userId\na,b\n`, 422, 'campaigns.upload_columns_invalid'],
      [
        'text/csv',
        new Uint8Array([
          ...new TextEncoder().encode(`openid,thing1\n${users[0]!.openid},`),
          0xc7,
          0xa9,
          0xb5,
          0xbd,
        ]), // 签到 in GBK
        422,
        'campaigns.upload_not_utf8',
        2,
      ],
      ['application/json', '{}', 415, 'campaigns.upload_content_type'],
    ]
    for (const [type, body, status, code, line] of uploads) {
      const res = await upload(stack, id, type, body)
      expect([res.status, (res.body as unknown as ErrorBody).error.code]).toEqual([status, code])
      if (line) expect((res.body as unknown as ErrorBody).error.details['line']).toBe(line)
    }
    // 1 000 001 lines (each refused for its column count, so the test stays quick): the last is one too many.
    const big = `openid\n${'a,b\n'.repeat(1_000_001)}`
    const over = await upload(stack, id, 'text/csv', big)
    expect([over.status, (over.body as unknown as ErrorBody).error.code]).toEqual([
      413,
      'campaigns.upload_too_many_lines',
    ])
    expect((over.body as unknown as ErrorBody).error.details['line']).toBe(1_000_002)
    const after = await stack.api<CampaignView>('GET', `/v1/campaigns/${id}`)
    expect(after.body.counts.recipients).toBe(0)
    expect(after.body.status).toBe('draft')

    const completed = (await stack.api<{ items: CampaignView[] }>('GET', '/v1/campaigns?status=completed'))
      .body.items[0]!
    const pause = await stack.api<ErrorBody>('POST', `/v1/campaigns/${completed.id}/pause`)
    expect([pause.status, pause.body.error.code]).toEqual([409, 'campaigns.state_conflict'])
    const notDraft = await upload(stack, completed.id, 'text/csv', 'openid\nx\n')
    expect([notDraft.status, (notDraft.body as unknown as ErrorBody).error.code]).toEqual([
      409,
      'campaigns.not_uploadable',
    ])
    const missing = await stack.api<ErrorBody>('GET', '/v1/campaigns/cmp_nope')
    expect([missing.status, missing.body.error.code]).toEqual([404, 'campaigns.not_found'])
  }, 120_000) // one upload reads 1 000 001 lines
})
