// Acting on a stored push, inside the transaction that marks it done:
//   subscribe_msg_popup_event   each answer → the ledger as WeChat's confirmation (source 'wechat')
//   subscribe_msg_change_event  each rejection → switched off: long-term 'off', one-time credits zeroed
//   subscribe_msg_sent_event    the message with that msgid: sent → delivered, or → failed
//                               (delivery_failed, WeChat's ErrorCode and ErrorStatus); a msgid no
//                               message has is the evidence for one waiting after an unknown outcome
//                               (same user and template): it is settled as sent, then delivered/failed
//   user_message                the customer-service window: 5 messages within 48 h of the last one
//   user_enter_tempsession      the customer-service window: 2 messages within 1 min of entering
//   unknown                     kept, nothing to do
import type { CallbackEvent } from '@wxpush/wechat'
import { openCustomerServiceWindow } from '@wxpush/wechat'
import type { Ledger, SubscribeAnswer } from '../consents/consents.ledger.ts'
import { SUBSCRIBE_ANSWERS } from '../consents/consents.ledger.ts'
import type { Db } from '../db/db.ts'
import type { MessagesStore } from '../messages/messages.store.ts'
import type { UsersStore } from '../users/users.store.ts'
import type { CallbacksStore, ClaimedEvent } from './callbacks.store.ts'

/** Not an error in the push: something it refers to is not there yet (try again later). */
export class NotYetError extends Error {
  override readonly name = 'NotYetError'
}

export interface DeliveryChange {
  appId: string
  messageId: string
  status: 'delivered' | 'failed'
  reason: string | null
  errcode: number | null
}

const ANSWERS: ReadonlySet<string> = new Set(SUBSCRIBE_ANSWERS)

function answerOf(status: string): SubscribeAnswer | undefined {
  return ANSWERS.has(status) ? (status as SubscribeAnswer) : undefined
}

/** CreateTime (seconds) when it is believable, else the time the push arrived. */
function eventTime(createTime: number, fallback: Date): Date {
  return createTime > 0 && createTime < 1e11 ? new Date(createTime * 1000) : fallback
}

export function createCallbackHandlers(deps: {
  db: Db
  store: CallbacksStore
  ledger: Ledger
  usersStore: UsersStore
  messagesStore: MessagesStore
  /** Called in the transaction of a delivery change (signed webhooks ride on it). */
  onDeliveryChange?: (trx: Db, change: DeliveryChange) => Promise<void>
}) {
  return {
    /**
     * Work done before the transaction: the user row (created when WeChat names someone who never
     * logged in). PGlite has one connection, so nothing may use the pool while a transaction holds it.
     */
    async prepare(row: ClaimedEvent): Promise<{ userId: string | null }> {
      const needsUser = row.event_type !== 'subscribe_msg_sent_event' && row.event_type !== 'unknown'
      if (!needsUser || row.openid === '') return { userId: null }
      const user = await deps.usersStore.ensureByOpenid(deps.db, row.app_id, row.openid)
      return { userId: user.id }
    },

    async apply(trx: Db, row: ClaimedEvent, prepared: { userId: string | null }): Promise<void> {
      const event = row.payload as unknown as CallbackEvent
      const appId = row.app_id
      const userId = prepared.userId
      switch (event.type) {
        case 'subscribe_msg_popup_event': {
          if (!userId) return
          const results: Record<string, SubscribeAnswer> = {}
          for (const item of event.items) {
            const answer = answerOf(item.status)
            if (item.templateId && answer) results[item.templateId] = answer
          }
          if (Object.keys(results).length > 0)
            await deps.ledger.recordAnswers(trx, { appId, userId, results, source: 'wechat' })
          return
        }
        case 'subscribe_msg_change_event': {
          if (!userId) return
          // WeChat pushes only rejections here ("目前只推送取消订阅的事件"); an accept grants nothing.
          for (const item of event.items) {
            if (item.templateId && item.status === 'reject')
              await deps.ledger.switchOff(trx, { appId, userId, templateId: item.templateId })
          }
          return
        }
        case 'subscribe_msg_sent_event': {
          for (const item of event.items) {
            if (!item.msgId) continue
            const delivered = item.errorCode === 0
            const r = await deps.messagesStore.recordDelivery(trx, {
              appId,
              wechatMsgid: item.msgId,
              delivered,
              errcode: item.errorCode,
              errmsg: item.errorStatus,
            })
            let settledId: string | null = null
            if (r.result === 'not_yet' && r.messageId === null && item.templateId && row.openid) {
              const settled = await deps.messagesStore.settleByEvidence(trx, {
                appId,
                openid: row.openid,
                templateId: item.templateId,
                wechatMsgid: item.msgId,
                delivered,
                errcode: item.errorCode,
                errmsg: item.errorStatus,
              })
              settledId = settled?.messageId ?? null
            }
            // The push can overtake the dispatcher writing `sent` and the msgid (or its wait for
            // evidence): try again later.
            if (r.result === 'not_yet' && settledId === null)
              throw new NotYetError(`no sent message with msgid ${item.msgId}`)
            if (settledId !== null)
              await deps.onDeliveryChange?.(trx, {
                appId,
                messageId: settledId,
                status: delivered ? 'delivered' : 'failed',
                reason: delivered ? null : 'delivery_failed',
                errcode: item.errorCode,
              })
            if (r.result === 'updated' && r.messageId)
              await deps.onDeliveryChange?.(trx, {
                appId,
                messageId: r.messageId,
                status: delivered ? 'delivered' : 'failed',
                reason: delivered ? null : 'delivery_failed',
                errcode: item.errorCode,
              })
          }
          return
        }
        case 'user_message':
        case 'user_enter_tempsession': {
          if (!userId) return
          const kind = event.type === 'user_message' ? 'message' : 'session'
          const at = eventTime(event.createTime, row.received_at)
          const w = await deps.store.touchWindow(trx, { appId, userId, kind, at })
          // WeChat's rule (@wxpush/wechat): a new action resets the count and deadline, never adds up.
          const next = openCustomerServiceWindow(
            { left: w.allowance_left, untilMs: w.open_until ? new Date(w.open_until).getTime() : 0 },
            at.getTime(),
            kind,
          )
          await deps.store.setWindow(trx, {
            userId,
            allowanceLeft: next.left,
            openUntil: new Date(next.untilMs),
          })
          return
        }
        case 'unknown':
          return
      }
    },
  }
}

export type CallbackHandlers = ReturnType<typeof createCallbackHandlers>
