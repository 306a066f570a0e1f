// Consent beyond one-time credits, over real HTTP on both databases: long-term templates sent
// again and again until switched off, reject and ban recorded, and GET /v1/users/:id/consents
// showing what the mini program reported and what WeChat confirmed apart.
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
import type { ConsentView } from '../src/testing/test-views.ts'

interface SendAnswer {
  id: string
  status: string
  error?: { code: string }
}

describe.each(DB_KINDS)('long-term consent, reject and ban on %s', (kind) => {
  const stack = useTestStack({ kind })
  let orderId: string

  beforeAll(async () => {
    orderId = await createTestTemplate(stack, ORDER_TEMPLATE)
  })

  const send = (user: TestUser, data: Record<string, unknown>) =>
    stack.api<SendAnswer>('POST', '/v1/messages', {
      to: { openid: user.openid },
      template: 'order_notice',
      data,
    })
  const consents = async (user: TestUser) =>
    (await stack.api<ConsentView[]>('GET', `/v1/users/${user.userId}/consents`)).body
  const consentOf = async (user: TestUser, templateId: string) =>
    (await consents(user)).find((c) => c.template === templateId)
  const settled = (id: string) =>
    eventually(async () => {
      const m = await stack.api<{ status: string }>('GET', `/v1/messages/${id}`)
      return m.body.status === 'sent' || m.body.status === 'failed' ? m.body : undefined
    })

  it('sends a long-term template again and again until the user switches it off', async () => {
    const lessonId = await createTestTemplate(stack, {
      alias: 'lesson_reminder',
      title: '课程上课提醒',
      type: 3,
      keywords: [
        { key: 'thing1', name: '课程名称' },
        { key: 'time2', name: '上课时间' },
      ],
    })
    const user = await createTestUser(stack)
    const data = { thing1: '初中数学', time2: '2019年10月1日 15:01' }
    const lesson = () =>
      stack.api<SendAnswer>('POST', '/v1/messages', {
        to: { userId: user.userId },
        template: 'lesson_reminder',
        data,
      })

    const before = await lesson()
    expect(before.status).toBe(409)
    expect(before.body.error?.code).toBe('messages.not_subscribed')

    await user.accept([lessonId])
    for (let i = 0; i < 3; i++) {
      const res = await lesson()
      expect(res.status).toBe(202)
      expect((await settled(res.body.id)).status).toBe('sent')
    }
    expect(await user.inbox()).toHaveLength(3)
    expect(await consentOf(user, lessonId)).toMatchObject({ kind: 'long_term', status: 'accept' })

    // WeChat's change event (wired by the callback receiver) lands in ledger.switchOff.
    const db = stack.wxpush.services.db
    await db.transaction().execute((trx) =>
      stack.wxpush.services.ledger.switchOff(trx, {
        appId: stack.appId,
        userId: user.userId,
        templateId: lessonId,
      }),
    )
    const off = await lesson()
    expect(off.status).toBe(409)
    expect(off.body.error?.code).toBe('messages.not_subscribed')
    expect(await consentOf(user, lessonId)).toMatchObject({ status: 'off', source: 'wechat' })

    // Accepting again turns it back on; rejecting in the popup turns it off once more.
    await user.accept([lessonId])
    const again = await lesson()
    expect(again.status).toBe(202)
    // Let it reach WeChat before the reject: sent after it, WeChat would answer 43101, and a
    // 43101 on a long-term template marks it off (source wechat) instead.
    expect((await settled(again.body.id)).status).toBe('sent')
    await user.accept([lessonId], 'reject')
    const rejected = await lesson()
    expect(rejected.status).toBe(409)
    expect(rejected.body.error?.code).toBe('messages.not_subscribed')
    expect(await consentOf(user, lessonId)).toMatchObject({ status: 'reject', source: 'miniprogram' })
  })

  it('records reject and ban and shows both sources apart in GET /v1/users/:id/consents', async () => {
    const other = await createTestTemplate(stack, {
      alias: 'refund_notice',
      title: '退款通知',
      keywords: [
        { key: 'thing1', name: '退款原因' },
        { key: 'amount2', name: '退款金额' },
      ],
    })
    const user = await createTestUser(stack)
    expect((await user.accept([orderId], 'reject')).status).toBe(200)
    expect((await user.accept([other], 'ban')).status).toBe(200)
    const rows = await consents(user)
    expect(rows.find((c) => c.template === orderId)).toMatchObject({
      kind: 'one_time',
      status: 'reject',
      credits: 0,
      source: 'miniprogram',
    })
    expect(rows.find((c) => c.template === other)).toMatchObject({ status: 'ban', credits: 0 })
    const refused = await send(user, ORDER_DATA)
    expect(refused.status).toBe(409)
    expect(refused.body.error?.code).toBe('messages.no_credit')

    // One tap arrives twice, reported by the mini program and confirmed by WeChat: one credit.
    await user.accept([orderId])
    const ledger = stack.wxpush.services.ledger
    await stack.wxpush.services.db.transaction().execute((trx) =>
      ledger.recordAnswers(trx, {
        appId: stack.appId,
        userId: user.userId,
        results: { [orderId]: 'accept' },
        source: 'wechat',
      }),
    )
    expect(await consentOf(user, orderId)).toMatchObject({
      status: 'accept',
      reported: 1,
      confirmed: 1,
      used: 0,
      credits: 1,
      source: 'wechat',
    })
    // A second tap reported only by the mini program (its event lost) still counts.
    await user.accept([orderId])
    expect(await consentOf(user, orderId)).toMatchObject({ reported: 2, confirmed: 1, credits: 2 })
  })
})
