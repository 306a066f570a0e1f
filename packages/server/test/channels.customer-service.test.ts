// Customer-service messages end to end on both databases: the window is opened by the callback the
// simulator pushes (in every mode), counted by wxpush, reset by a new user action (never added up),
// and closed; a send outside it is an immediate 409 with no WeChat call; what WeChat itself refuses
// (45015) is classified; the conversation lists both ways.
import { urlSignature } from '@wxpush/wechat'
import { describe, expect, it } from 'vitest'
import { configureCallbacks } from '../src/testing/test-callbacks.ts'
import { DB_KINDS } from '../src/testing/test-db.ts'
import { eventually, useTestStack, type TestStack } from '../src/testing/test-stack.ts'
import { createTestUser, type TestUser } from '../src/testing/test-users.ts'
import type { MessageView } from '../src/testing/test-views.ts'

interface Refusal {
  error: { code: string; details: Record<string, unknown> }
}
interface Conversation {
  window: { state: string; left: number; openUntil: string | null }
  items: { direction: 'in' | 'out'; msgtype?: string; text?: string; event?: string; status?: string }[]
}

const SEND_PATH = '/cgi-bin/message/custom/send'
const text = (openid: string, content: string, extra: Record<string, unknown> = {}) => ({
  to: { openid },
  channel: 'customer_service',
  content: { msgtype: 'text', text: { content } },
  ...extra,
})

async function wechatSends(stack: TestStack): Promise<number> {
  const stats = await stack.control<{ calls: Record<string, { total: number }> }>(
    '/control/stats',
    undefined,
    'GET',
  )
  return stats.calls[SEND_PATH]?.total ?? 0
}

async function conversation(stack: TestStack, user: TestUser) {
  return (await stack.api<Conversation>('GET', `/v1/users/${user.userId}/conversation`)).body
}

/** The user acts in the simulator; waits until wxpush has acted on the pushed callback. */
async function userActs(stack: TestStack, user: TestUser, body: Record<string, unknown>, left: number) {
  const before = (await conversation(stack, user)).items.filter((i) => i.direction === 'in').length
  await stack.control(`/control/apps/${stack.appId}/users/${user.openid}/messages`, body)
  return eventually(
    async () => {
      const c = await conversation(stack, user)
      const pushed = c.items.filter((i) => i.direction === 'in').length > before
      return pushed && c.window.left === left ? c : undefined
    },
    15_000,
    'the pushed user action',
  )
}

describe.each(DB_KINDS)('customer-service messages on %s', (kind) => {
  const stack = useTestStack({ kind })

  it('refuses at once with 409 window_closed and no WeChat call when the user never wrote', async () => {
    await configureCallbacks(stack)
    const user = await createTestUser(stack)
    const before = await wechatSends(stack)
    const r = await stack.api<Refusal>('POST', '/v1/messages', text(user.openid, '您好'))
    expect(r.status).toBe(409)
    expect(r.body.error.code).toBe('channels.window_closed')
    expect(r.body.error.details).toMatchObject({ closedAt: null, lastUserMessageAt: null })
    expect(await wechatSends(stack)).toBe(before)
  })

  it.each([
    ['plain', 'json'],
    ['secure', 'xml'],
  ] as const)(
    'entering the session (%s %s push) allows 2; the user writing then allows 5, not 5 + what was left',
    async (mode, format) => {
      await configureCallbacks(stack, mode, format)
      const user = await createTestUser(stack)
      const before = await wechatSends(stack)
      await userActs(stack, user, { event: 'user_enter_tempsession', sessionFrom: 'order' }, 2)
      const first = await stack.api<{ id: string; window: { left: number } }>(
        'POST',
        '/v1/messages',
        text(user.openid, '第一条'),
      )
      expect(first.status).toBe(202)
      expect(first.body.window.left).toBe(1)
      // WeChat counts at delivery, wxpush at acceptance: let the first arrive before the user acts again
      // (docs/channels.md says why a message still queued then may meet 45047).
      await eventually(async () => {
        const r = await stack.api<MessageView>('GET', `/v1/messages/${first.body.id}`)
        return r.body.status === 'sent' ? true : undefined
      })
      // A user message while 1 is left: the count becomes 5 (reset to the larger), never 6.
      await userActs(stack, user, { msgtype: 'text', content: '我的订单呢' }, 5)
      for (let i = 0; i < 5; i++)
        expect((await stack.api('POST', '/v1/messages', text(user.openid, `回复 ${i}`))).status).toBe(202)
      const sixth = await stack.api<Refusal>('POST', '/v1/messages', text(user.openid, '第六条'))
      expect(sixth.status).toBe(409)
      expect(sixth.body.error.code).toBe('channels.window_used_up')
      expect(Date.parse(String(sixth.body.error.details.openUntil))).toBeGreaterThan(
        Date.now() + 47 * 3_600_000,
      )
      // Sent through the outbox: one call per accepted message, none for the refused one.
      await eventually(async () => {
        const c = await conversation(stack, user)
        return c.items.filter((i) => i.direction === 'out' && i.status === 'sent').length === 6
          ? true
          : undefined
      }, 15_000)
      expect(await wechatSends(stack)).toBe(before + 6)
      const m = await eventually(async () => {
        const r = await stack.api<MessageView & { channel: string }>('GET', `/v1/messages/${first.body.id}`)
        return r.body.status === 'sent' ? r.body : undefined
      })
      expect(m.channel).toBe('customer_service')
      const inbox = await user.inbox()
      expect(inbox.filter((i) => (i as { channel?: string }).channel === 'customer_service')).toHaveLength(6)
      const c = await conversation(stack, user)
      expect(c.items.map((i) => [i.direction, i.event ?? i.text ?? i.status])).toEqual(
        expect.arrayContaining([
          ['in', 'user_enter_tempsession'],
          ['in', '我的订单呢'],
          ['out', 'sent'],
        ]),
      )
      expect(c.items.filter((i) => i.direction === 'out')).toHaveLength(6)
    },
  )

  it('a user message 49 h old (a signed push) leaves the window closed since 1 h ago', async () => {
    const { token } = await configureCallbacks(stack, 'plain', 'json')
    const user = await createTestUser(stack)
    const createTime = Math.floor(Date.now() / 1000) - 49 * 3600
    const timestamp = String(Math.floor(Date.now() / 1000))
    const signature = urlSignature({ token, timestamp, nonce: '7' })
    const res = await fetch(
      `${stack.apiUrl}/wechat/callback/${stack.appId}?signature=${signature}&timestamp=${timestamp}&nonce=7`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          ToUserName: 'gh_x',
          FromUserName: user.openid,
          CreateTime: createTime,
          MsgType: 'text',
          Content: '两天前',
          MsgId: 1234567890123456,
        }),
      },
    )
    expect(res.status).toBe(200)
    // Acted on (the window moved), not only stored.
    await eventually(async () => ((await conversation(stack, user)).window.openUntil ? true : undefined))
    const before = await wechatSends(stack)
    const r = await stack.api<Refusal>('POST', '/v1/messages', text(user.openid, '还在吗'))
    expect(r.status).toBe(409)
    expect(r.body.error.code).toBe('channels.window_closed')
    expect(Date.parse(String(r.body.error.details.closedAt))).toBe((createTime + 48 * 3600) * 1000)
    expect(await wechatSends(stack)).toBe(before)
  })

  it('answers a repeated idempotencyKey with the first message, taking one count only', async () => {
    await configureCallbacks(stack)
    const user = await createTestUser(stack)
    await userActs(stack, user, { event: 'user_enter_tempsession' }, 2)
    const body = text(user.openid, '一次', { idempotencyKey: `k-${user.openid}` })
    const a = await stack.api<{ id: string }>('POST', '/v1/messages', body)
    const b = await stack.api<{ id: string; duplicate: boolean }>('POST', '/v1/messages', body)
    expect([a.status, b.status]).toEqual([202, 200])
    expect(b.body).toMatchObject({ id: a.body.id, duplicate: true })
    expect((await conversation(stack, user)).window.left).toBe(1)
  })

  it('typing: refused by wxpush outside the window, then WeChat’s 15 s rule (45081) as 409 typing_refused', async () => {
    await configureCallbacks(stack)
    const user = await createTestUser(stack)
    const typing = (command: string) =>
      stack.api<Refusal & { command?: string }>('POST', `/v1/users/${user.userId}/typing`, { command })
    const closed = await typing('Typing')
    expect([closed.status, closed.body.error.code]).toEqual([409, 'channels.window_closed'])
    expect((await typing('Dance')).body.error.details).toMatchObject({ field: 'command' })
    await userActs(stack, user, { msgtype: 'text', content: '稍等' }, 5)
    expect((await typing('Typing')).status).toBe(200)
    const again = await typing('Typing')
    expect(again.status).toBe(409)
    expect(again.body.error).toMatchObject({ code: 'channels.typing_refused', details: { errcode: 45081 } })
    expect((await typing('CancelTyping')).status).toBe(200)
  })

  // Last: it moves the simulator's clock, whose pushes then carry timestamps wxpush refuses as skewed.
  it('classifies WeChat’s own 45015 (its clock says the window closed) as failed: session_window_closed', async () => {
    await configureCallbacks(stack)
    const user = await createTestUser(stack)
    await userActs(stack, user, { msgtype: 'text', content: '在吗' }, 5)
    await stack.control('/control/clock', { advanceMs: 49 * 3_600_000 })
    const accepted = await stack.api<{ id: string }>('POST', '/v1/messages', text(user.openid, '迟到的回复'))
    expect(accepted.status).toBe(202)
    const failed = await eventually(async () => {
      const r = await stack.api<MessageView>('GET', `/v1/messages/${accepted.body.id}`)
      return r.body.status === 'failed' ? r.body : undefined
    }, 15_000)
    expect(failed).toMatchObject({ errcode: 45015, reason: 'session_window_closed' })
  })
})
