// The seed 004 flow end to end on the simulator: users check in through the Koa backend, some of
// them agreed to the template in the mini program; the meeting ends; exactly the consented ones
// find "签到成功，散会后即可离开" in their 服务通知, the others are counted skipped: no_credit.
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../../../packages/server/src/testing/test-db.ts'
import { eventually, useTestStack } from '../../../packages/server/src/testing/test-stack.ts'
import {
  createTestTemplate,
  createTestUser,
  type TestUser,
} from '../../../packages/server/src/testing/test-users.ts'
import { createCheckinApp, LEAVE_NOTICE } from '../src/app.ts'

const CHECKIN_TEMPLATE = {
  alias: 'checkin_reminder',
  title: '签到提醒',
  keywords: [
    { key: 'time24', name: '签到时间' },
    { key: 'time27', name: '结束时间' },
    { key: 'thing21', name: '活动名称' },
    { key: 'thing23', name: '温馨提示' },
  ],
}

describe.each(DB_KINDS)('the check-in example on %s', (kind) => {
  const stack = useTestStack({ kind })
  let server: Server
  let base = ''

  beforeAll(async () => {
    server = createCheckinApp({
      wxpushUrl: stack.apiUrl,
      apiKey: stack.apiKey,
      template: 'checkin_reminder',
    }).listen(0, '127.0.0.1')
    await new Promise((r) => server.once('listening', r))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((r) => server.close(() => r())))

  const post = async (path: string, body: unknown = {}) => {
    const res = await fetch(base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    return { status: res.status, body: (await res.json()) as Record<string, unknown> }
  }

  it('notifies exactly the consented attendees and skips the rest as no_credit', async () => {
    const templateId = await createTestTemplate(stack, CHECKIN_TEMPLATE)
    const attendees: TestUser[] = []
    for (let i = 0; i < 5; i++) attendees.push(await createTestUser(stack))
    const consented = attendees.slice(0, 3)
    for (const u of consented) await u.accept([templateId])
    const outsider = await createTestUser(stack)
    await outsider.accept([templateId])

    for (const u of attendees) {
      const r = await post('/checkin', { userId: u.userId, meetingId: '42' })
      expect(r.status).toBe(200)
      expect(r.body['tags']).toEqual(['meeting-42'])
    }
    const ended = await post('/meetings/42/end')
    expect(ended.status).toBe(201)
    const again = await post('/meetings/42/end')
    expect(again.body['campaignId']).toBe(ended.body['campaignId'])

    const notice = await eventually(
      async () => {
        const res = await fetch(`${base}/meetings/42/notice`)
        const c = (await res.json()) as {
          status: string
          counts: Record<string, number>
          skippedBy: Record<string, number>
        }
        return c.status === 'completed' ? c : undefined
      },
      60_000,
      'the leave notice campaign to complete',
    )
    expect(notice.counts).toMatchObject({ recipients: 5, sent: 3, skipped: 2, failed: 0 })
    expect(notice.skippedBy).toEqual({ no_credit: 2 })
    for (const u of consented) {
      const inbox = await u.inbox()
      expect(inbox).toHaveLength(1)
      expect(inbox[0]!.data.thing23?.value).toBe(LEAVE_NOTICE)
      expect(inbox[0]!.data.time24?.value).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/)
    }
    for (const u of [...attendees.slice(3), outsider]) expect(await u.inbox()).toHaveLength(0)
  })

  it('answers a check-in without a user or meeting with 400', async () => {
    const r = await post('/checkin', { meetingId: '42' })
    expect(r.status).toBe(400)
  })
})
