// The callback worker on both databases: one user's consent events are acted on in arrival order,
// whatever the concurrency, and an event that keeps failing ends `failed` with its error kept.
import { toCallbackEvent } from '@wxpush/wechat'
import { describe, expect, it } from 'vitest'
import { dedupeKeyOf } from '../src/callbacks/callbacks.receiver.ts'
import { DB_KINDS } from '../src/testing/test-db.ts'
import { eventually, useTestStack } from '../src/testing/test-stack.ts'

describe.each(DB_KINDS)('the callback worker on %s', (kind) => {
  const stack = useTestStack({ kind })

  /** Stores an event as the receiver would after verifying it. */
  const store = async (raw: Record<string, unknown>) => {
    const s = stack.wxpush.services
    const event = toCallbackEvent(raw)
    await s.callbacksStore.insertEvent(s.db, {
      appId: stack.appId,
      dedupeKey: dedupeKeyOf(event),
      eventType: event.type,
      openid: event.openid,
      createTime: event.createTime,
      format: 'json',
      body: JSON.stringify(raw),
      payload: event as unknown as Record<string, unknown>,
      ordered: event.type === 'subscribe_msg_popup_event' || event.type === 'subscribe_msg_change_event',
    })
  }
  const base = (openid: string, createTime: number, event: string) => ({
    ToUserName: 'gh_1',
    FromUserName: openid,
    CreateTime: createTime,
    MsgType: 'event',
    Event: event,
  })

  it('applies accept, reject-in-settings, accept of one user in the order they came', async () => {
    const s = stack.wxpush.services
    const openid = `o_order_${kind}`
    const accept = (t: number) => ({
      ...base(openid, t, 'subscribe_msg_popup_event'),
      List: { TemplateId: 'TPL_ORDER', SubscribeStatusString: 'accept' },
    })
    await s.callbackWorker.stop()
    try {
      for (let round = 0; round < 5; round++) {
        const t = 1_714_000_000 + round * 10
        await store(accept(t))
        await store({
          ...base(openid, t + 1, 'subscribe_msg_change_event'),
          List: { TemplateId: 'TPL_ORDER', SubscribeStatusString: 'reject' },
        })
      }
      await store(accept(1_714_000_100))
    } finally {
      s.callbackWorker.start()
    }
    const user = await eventually(() => s.usersStore.findByOpenid(s.db, stack.appId, openid))
    const rows = await eventually(async () => {
      const all = await s.callbacksStore.listEvents(s.db, { appId: stack.appId, limit: 100 })
      const mine = all.filter((r) => r.openid === openid)
      return mine.length === 11 && mine.every((r) => r.status === 'done') ? mine : undefined
    })
    expect(rows.every((r) => r.attempts === 1)).toBe(true)
    const processed = [...rows]
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map((r) => r.processed_at!.getTime())
    expect(processed).toEqual([...processed].sort((a, b) => a - b))
    // Only the last accept is left: every earlier credit was switched off after it came.
    const consent = await s.ledger.listForUser(s.db, user.id)
    expect(consent.map((c) => [c.template_id, c.credits, c.status])).toEqual([['TPL_ORDER', 1, 'accept']])
  })

  it('gives an event up as failed after its attempts, keeping why', async () => {
    const s = stack.wxpush.services
    await store({
      ...base('o_never', 1_714_000_500, 'subscribe_msg_sent_event'),
      List: { TemplateId: 'T', MsgID: '424242', ErrorCode: '0', ErrorStatus: 'success' },
    })
    // Each claim counts an attempt; replay them without waiting for the backoff.
    const row = await eventually(async () => {
      await s.db
        .updateTable('callback_events')
        .set({ run_at: new Date(0) })
        .where('openid', '=', 'o_never')
        .where('status', '=', 'pending')
        .execute()
      s.callbackWorker.wake()
      const all = await s.callbacksStore.listEvents(s.db, { appId: stack.appId, limit: 100 })
      return all.find((r) => r.openid === 'o_never' && r.status === 'failed')
    }, 20_000)
    expect(row.attempts).toBe(10)
    expect(row.error).toContain('424242')
    expect(row.processed_at).not.toBeNull()
  })
})
