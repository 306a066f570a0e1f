// The official-account bridge on both databases: linked with the account's own AppID / AppSecret
// (checked with WeChat, sealed at rest, never answered), followers read from the simulator's official
// account by unionid, and `fallback: "official_account"` chosen exactly when the subscription message
// has no credit AND the user follows the linked account: never when a credit exists, never for a user
// without unionid, never for one who does not follow; each case visible per user.
import { beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../src/testing/test-db.ts'
import { eventually, useTestStack, type TestStack } from '../src/testing/test-stack.ts'
import { createTestTemplate, createTestUser, type TestUser } from '../src/testing/test-users.ts'

interface Refusal {
  error: { code: string; details: Record<string, unknown> }
}
interface InboxEntry {
  channel: string
  templateId: string
  officialAccount?: string
  data: Record<string, { value: string }>
  miniprogram?: { appid: string; pagepath?: string }
}

const OA_SEND = '/cgi-bin/message/template/send'
const SUBSCRIBE_SEND = '/cgi-bin/message/subscribe/send'

async function calls(stack: TestStack, path: string): Promise<number> {
  const stats = await stack.control<{ calls: Record<string, { total: number }> }>(
    '/control/stats',
    undefined,
    'GET',
  )
  return stats.calls[path]?.total ?? 0
}

describe.each(DB_KINDS)('the official-account fallback on %s', (kind) => {
  const stack = useTestStack({ kind })
  let oa: { appid: string; secret: string }
  let oaTemplate: string
  let subscribeTemplate: string
  let adminKey: string

  const body = (user: TestUser, extra: Record<string, unknown> = {}) => ({
    to: { userId: user.userId },
    template: 'oa_order',
    data: { thing1: '合同A', phrase2: '已发货' },
    fallback: 'official_account',
    officialAccount: {
      template: oaTemplate,
      data: { keyword1: '{{thing1}}', keyword2: '状态：{{phrase2}}' },
      page: 'pages/order/detail',
    },
    ...extra,
  })
  const admin = (method: string, path: string, b?: unknown) =>
    stack.api(method, `/v1/apps/${stack.appId}${path}`, b, { authorization: `Bearer ${adminKey}` })
  const follow = async (user: TestUser) => {
    const { unionid } = (await stack.api<{ unionid: string }>('GET', `/v1/users/${user.userId}`)).body
    return stack.control<{ openid: string }>(`/control/apps/${oa.appid}/followers`, { unionid })
  }
  const sync = () => admin('POST', '/official-account/followers/sync')
  const stateOf = async (user: TestUser) =>
    (await stack.api<Record<string, unknown>>('GET', `/v1/users/${user.userId}/official-account`)).body

  beforeAll(async () => {
    adminKey = (await stack.wxpush.services.apps.issueApiKey(stack.appId, 'admin')).apiKey
    subscribeTemplate = await createTestTemplate(stack, {
      alias: 'oa_order',
      title: '订单状态通知',
      keywords: [
        { key: 'thing1', name: '商品名称' },
        { key: 'phrase2', name: '订单状态' },
      ],
    })
    oa = await stack.control<{ appid: string; secret: string }>('/control/apps', {
      officialAccount: true,
      name: '示例公众号',
    })
    oaTemplate = (
      await stack.control<{ priTmplId: string }>(`/control/apps/${oa.appid}/templates`, {
        title: '订单进度提醒',
        type: 2,
        keywords: [
          { key: 'keyword1', name: '订单' },
          { key: 'keyword2', name: '进度' },
        ],
      })
    ).priTmplId
  })

  it('refuses the fallback before a link (422 naming body.fallback), and a link WeChat refuses', async () => {
    const user = await createTestUser(stack)
    const r = await stack.api<Refusal>('POST', '/v1/messages', body(user))
    expect(r.status).toBe(422)
    expect(r.body.error).toMatchObject({
      code: 'channels.no_linked_account',
      details: { field: 'body.fallback' },
    })
    const refused = await admin('PUT', '/official-account', {
      appId: oa.appid,
      secret: 'wrong',
      token: 'tok123',
    })
    expect(refused.status).toBe(422)
    expect(refused.body).toMatchObject({ error: { code: 'channels.official_account_refused' } })
    expect((await admin('GET', '/official-account')).body).toEqual({ linked: false })
  })

  it('links the account (secret and token sealed, never answered) and reads its followers by unionid', async () => {
    const linked = await admin('PUT', '/official-account', {
      appId: oa.appid,
      secret: oa.secret,
      token: 'tok123',
    })
    expect(linked.status).toBe(200)
    expect(linked.body).toMatchObject({ linked: true, officialAccount: oa.appid })
    expect(JSON.stringify(linked.body)).not.toContain(oa.secret)
    const row = await stack.wxpush.services.db
      .selectFrom('official_accounts')
      .selectAll()
      .where('app_id', '=', stack.appId)
      .executeTakeFirstOrThrow()
    expect(row.secret_enc).not.toContain(oa.secret)
    expect(stack.wxpush.services.secrets.open(row.secret_enc)).toBe(oa.secret)
    expect(stack.wxpush.services.secrets.open(row.token_enc)).toBe('tok123')
  })

  it('sends the subscription message when a credit exists: no official-account call', async () => {
    const user = await createTestUser(stack)
    await follow(user)
    await sync()
    await user.accept([subscribeTemplate])
    const before = await calls(stack, OA_SEND)
    const r = await stack.api<{ id: string; channel?: string }>('POST', '/v1/messages', body(user))
    expect(r.status).toBe(202)
    expect(r.body.channel).toBeUndefined()
    const m = await eventually(async () => {
      const g = await stack.api<{ status: string; channel?: string }>('GET', `/v1/messages/${r.body.id}`)
      return g.body.status === 'sent' ? g.body : undefined
    }, 20_000)
    expect(m.channel).toBeUndefined()
    expect(await calls(stack, OA_SEND)).toBe(before)
  })

  it('falls back when there is no credit and the user follows: recorded as official_account, delivered there', async () => {
    const user = await createTestUser(stack)
    await follow(user)
    expect((await sync()).body).toMatchObject({ matchedByUnionid: expect.any(Number) })
    expect(await stateOf(user)).toMatchObject({
      follower: true,
      fallback: 'applies',
      officialAccount: oa.appid,
    })
    const subscribeBefore = await calls(stack, SUBSCRIBE_SEND)
    const r = await stack.api<{ id: string; channel: string; fallback: { from: string } }>(
      'POST',
      '/v1/messages',
      body(user, { idempotencyKey: `oa-${user.userId}` }),
    )
    expect(r.status).toBe(202)
    expect(r.body).toMatchObject({
      channel: 'official_account',
      fallback: { from: 'messages.no_credit' },
    })
    const m = await eventually(async () => {
      const g = await stack.api<{ status: string; channel: string }>('GET', `/v1/messages/${r.body.id}`)
      return g.body.status === 'sent' ? g.body : undefined
    }, 20_000)
    expect(m).toMatchObject({ channel: 'official_account', template: oaTemplate })
    expect(await calls(stack, SUBSCRIBE_SEND)).toBe(subscribeBefore)
    const inbox = (await user.inbox()) as unknown as InboxEntry[]
    const got = inbox.find((i) => i.channel === 'official_account')
    expect(got).toMatchObject({
      officialAccount: oa.appid,
      templateId: oaTemplate,
      data: { keyword1: { value: '合同A' }, keyword2: { value: '状态：已发货' } },
      miniprogram: { appid: stack.appId, pagepath: 'pages/order/detail' },
    })
    const again = await stack.api<{ id: string; duplicate: boolean }>(
      'POST',
      '/v1/messages',
      body(user, { idempotencyKey: `oa-${user.userId}` }),
    )
    expect(again).toMatchObject({ status: 200, body: { id: r.body.id, duplicate: true } })
    const page = await fetch(`${stack.simulatorUrl}/inbox/${stack.appId}/${user.openid}`)
    const html = await page.text()
    expect(html).toContain('公众号消息')
    expect(html).toContain('状态：已发货')
  })

  it('does not fall back for a user who does not follow, nor one without unionid, nor one never seen', async () => {
    // Followed when the list was read, then left: the next read marks them as not following.
    const left = await createTestUser(stack)
    const { openid: leftOpenid } = await follow(left)
    await sync()
    await stack.control(`/control/apps/${oa.appid}/followers/${leftOpenid}`, { following: false }, 'PATCH')
    const none = await createTestUser(stack)
    await follow(none)
    const unseen = await createTestUser(stack)
    await sync()
    await stack.wxpush.services.db
      .updateTable('users')
      .set({ unionid: null })
      .where('id', '=', none.userId)
      .execute()
    const before = await calls(stack, OA_SEND)
    for (const [user, reason] of [
      [left, 'not_follower'],
      [none, 'no_unionid'],
      [unseen, 'unknown_follower'],
    ] as const) {
      expect(await stateOf(user)).toMatchObject({ fallback: reason })
      const r = await stack.api<Refusal>('POST', '/v1/messages', body(user))
      expect(r.status).toBe(409)
      expect(r.body.error.code).toBe('messages.no_credit')
      expect(r.body.error.details.fallback).toEqual({ applied: false, reason })
    }
    expect(await calls(stack, OA_SEND)).toBe(before)
  })

  it('a follower who left after the last read: WeChat answers 43004 and the message fails as not_following', async () => {
    const user = await createTestUser(stack)
    const { openid } = await follow(user)
    await sync()
    await stack.control(`/control/apps/${oa.appid}/followers/${openid}`, { following: false }, 'PATCH')
    const r = await stack.api<{ id: string; channel: string }>('POST', '/v1/messages', body(user))
    expect(r.status).toBe(202)
    const m = await eventually(async () => {
      const g = await stack.api<{ status: string; reason?: string; errcode?: number }>(
        'GET',
        `/v1/messages/${r.body.id}`,
      )
      return g.body.status === 'failed' ? g.body : undefined
    }, 20_000)
    expect(m).toMatchObject({ reason: 'not_following', errcode: 43004 })
  })

  it('names the field of bad fallback input', async () => {
    const user = await createTestUser(stack)
    const cases: [Record<string, unknown>, string][] = [
      [{ fallback: 'sms' }, 'body.fallback'],
      [{ officialAccount: undefined }, 'body.officialAccount'],
      [{ officialAccount: { template: oaTemplate, data: {} } }, 'body.officialAccount.data'],
      [
        { officialAccount: { template: oaTemplate, data: { k: 'v' }, url: 'ftp://x' } },
        'body.officialAccount.url',
      ],
      [{ channel: 'customer_service' }, 'body.fallback'],
      [{ data: 'x' }, 'body.data'],
    ]
    for (const [extra, field] of cases) {
      const r = await stack.api<Refusal>('POST', '/v1/messages', body(user, extra))
      expect(r.status, JSON.stringify(extra)).toBeGreaterThanOrEqual(400)
      expect(r.status).toBeLessThan(500)
      expect(JSON.stringify(r.body.error.details), JSON.stringify(extra)).toContain(field)
    }
  })

  it('unlinks: the fallback is refused again', async () => {
    expect((await admin('DELETE', '/official-account')).status).toBe(204)
    const user = await createTestUser(stack)
    const r = await stack.api<Refusal>('POST', '/v1/messages', body(user))
    expect(r.body.error.code).toBe('channels.no_linked_account')
  })
})
