// POST /v1/messages with channel "customer_service": check the body, then in one transaction take one
// message of the user's window and write the queued row (the dispatcher sends it like any other).
// Outside the window, or with its count used up, the answer is an immediate 409 and WeChat is never
// called.
import { customerServiceWindowState } from '@wxpush/wechat'
import type { Db } from '../db/db.ts'
import { requestInvalid } from '../http/http.errors.ts'
import { newId } from '../ids.ts'
import { recipientUnknown } from '../messages/messages.errors.ts'
import type { MessagesStore } from '../messages/messages.store.ts'
import { mediaNotFound, windowClosed, windowUsedUp } from './channels.errors.ts'
import { checkCustomerServiceContent } from './customer-service.content.ts'
import type { CustomerServiceStore, WindowRow } from './customer-service.store.ts'
import type { MediaStore } from './media.store.ts'

const BODY_KEYS = ['to', 'channel', 'content', 'idempotencyKey']

export interface CustomerServiceAccepted {
  id: string
  status: string
  channel: 'customer_service'
  duplicate: boolean
  window?: { left: number; openUntil: string }
}

class DuplicateKey extends Error {}

function recipientOf(to: unknown): { openid: string } | { userId: string } {
  if (to && typeof to === 'object' && !Array.isArray(to)) {
    const t = to as Record<string, unknown>
    const keys = Object.keys(t)
    if (keys.length === 1 && typeof t.openid === 'string' && t.openid !== '' && t.openid.length <= 128)
      return { openid: t.openid }
    if (keys.length === 1 && typeof t.userId === 'string' && t.userId !== '' && t.userId.length <= 64)
      return { userId: t.userId }
  }
  throw requestInvalid({ field: 'to', rule: 'one of {openid} or {userId}' })
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null)

function refusal(w: WindowRow | undefined, now: Date) {
  const window = {
    left: w?.allowance_left ?? 0,
    untilMs: w?.open_until ? new Date(w.open_until).getTime() : 0,
  }
  const details = {
    lastUserMessageAt: iso(w?.last_message_at),
    lastSessionAt: iso(w?.last_session_at),
  }
  if (customerServiceWindowState(window, now.getTime()) === 'used_up')
    return windowUsedUp({ openUntil: iso(w?.open_until), ...details })
  return windowClosed({ closedAt: window.untilMs > 0 ? iso(w?.open_until) : null, ...details })
}

export function createCustomerServiceOutbox(deps: {
  db: Db
  store: CustomerServiceStore
  messagesStore: MessagesStore
  mediaStore: MediaStore
  onEnqueued?: () => void
}) {
  const { db } = deps

  async function existing(appId: string, key: string | null) {
    if (!key) return undefined
    const m = await deps.messagesStore.findByIdempotencyKey(db, appId, key)
    return m
      ? { id: m.id, status: m.status, channel: 'customer_service' as const, duplicate: true }
      : undefined
  }

  return {
    async enqueue(appId: string, body: Record<string, unknown>): Promise<CustomerServiceAccepted> {
      for (const k of Object.keys(body))
        if (!BODY_KEYS.includes(k))
          throw requestInvalid({ field: k, rule: 'unknown_field', allowed: BODY_KEYS })
      const recipient = recipientOf(body.to)
      const key = body.idempotencyKey
      if (key !== undefined && (typeof key !== 'string' || key === '' || key.length > 200))
        throw requestInvalid({ field: 'idempotencyKey', rule: 'string of 1 to 200 characters' })
      const idempotencyKey = key ?? null
      const content = checkCustomerServiceContent(body.content)
      if (content.msgtype === 'image' && 'mediaId' in content.image) {
        const mediaId = content.image.mediaId
        if (!(await deps.mediaStore.exists(db, appId, mediaId)))
          throw mediaNotFound({ field: 'content.image.mediaId', mediaId })
      }

      const again = await existing(appId, idempotencyKey)
      if (again) return again
      const now = new Date()
      const id = newId('msg')
      const r = await db
        .transaction()
        .execute(async (trx) => {
          const res = await deps.store.enqueue(trx, { id, appId, recipient, content, idempotencyKey, now })
          if (res.result === 'duplicate') throw new DuplicateKey()
          return res
        })
        .catch((err: unknown) => {
          if (err instanceof DuplicateKey) return undefined
          throw err
        })
      if (!r) return (await existing(appId, idempotencyKey))!
      if (r.result === 'unknown_user') throw recipientUnknown({ to: recipient })
      if (r.result === 'refused') throw refusal(r.window, now)
      deps.onEnqueued?.()
      return {
        id,
        status: 'queued',
        channel: 'customer_service',
        duplicate: false,
        window: { left: r.allowanceLeft, openUntil: r.openUntil.toISOString() },
      }
    },
  }
}

export type CustomerServiceOutbox = ReturnType<typeof createCustomerServiceOutbox>
