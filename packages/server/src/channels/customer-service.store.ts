// Customer-service messages in the outbox (the messages table, channel 'customer_service'): the
// enqueue that takes one message of the window and writes the row in one transaction, and the
// conversation of one user (their pushed messages and ours). Every method takes the Db per call.
import { sql } from 'kysely'
import type { Db } from '../db/db.ts'
import type { CustomerServiceContent } from './customer-service.content.ts'

export interface NewCustomerServiceMessage {
  id: string
  appId: string
  recipient: { openid: string } | { userId: string }
  content: CustomerServiceContent
  idempotencyKey: string | null
  now: Date
}

export type CustomerServiceEnqueue =
  | { result: 'queued'; userId: string; allowanceLeft: number; openUntil: Date }
  | { result: 'unknown_user' }
  | { result: 'refused'; userId: string; window: WindowRow | undefined }
  | { result: 'duplicate' }

export interface WindowRow {
  allowance_left: number
  open_until: Date | null
  last_message_at: Date | null
  last_session_at: Date | null
}

export function createCustomerServiceStore() {
  return {
    /**
     * Run inside a transaction: finds the user, takes one message of the open window (the row lock
     * orders it with the callback worker moving the window), and writes the queued message. With an
     * idempotency key already used, nothing is written and the caller rolls back.
     */
    async enqueue(trx: Db, m: NewCustomerServiceMessage): Promise<CustomerServiceEnqueue> {
      const user = await trx
        .selectFrom('users')
        .select(['id', 'openid'])
        .where('app_id', '=', m.appId)
        .where((eb) =>
          'openid' in m.recipient ? eb('openid', '=', m.recipient.openid) : eb('id', '=', m.recipient.userId),
        )
        .executeTakeFirst()
      if (!user) return { result: 'unknown_user' }
      const taken = await trx
        .updateTable('customer_service_windows')
        .set((eb) => ({ allowance_left: eb('allowance_left', '-', 1), updated_at: m.now }))
        .where('user_id', '=', user.id)
        .where('open_until', '>', m.now)
        .where('allowance_left', '>', 0)
        .returning(['allowance_left', 'open_until'])
        .executeTakeFirst()
      if (!taken) return { result: 'refused', userId: user.id, window: await this.window(trx, user.id) }
      const inserted = await sql<{ id: string }>`
        INSERT INTO messages (id, app_id, user_id, openid, template_id, template_kind, data, channel, content,
                              status, run_at, idempotency_key, credit_reserved, created_at)
        VALUES (${m.id}, ${m.appId}, ${user.id}, ${user.openid}, '', 'none', '{}'::jsonb, 'customer_service',
                ${JSON.stringify(m.content)}::jsonb, 'queued', ${m.now}, ${m.idempotencyKey}::text, false, ${m.now})
        ON CONFLICT (app_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
        RETURNING id`.execute(trx)
      if (inserted.rows.length === 0) return { result: 'duplicate' }
      return {
        result: 'queued',
        userId: user.id,
        allowanceLeft: taken.allowance_left,
        openUntil: taken.open_until!,
      }
    },

    window(db: Db, userId: string): Promise<WindowRow | undefined> {
      return db
        .selectFrom('customer_service_windows')
        .select(['allowance_left', 'open_until', 'last_message_at', 'last_session_at'])
        .where('user_id', '=', userId)
        .executeTakeFirst()
    },

    /** Our customer-service messages to the user, newest first. */
    outgoing(db: Db, p: { appId: string; userId: string; limit: number }) {
      return db
        .selectFrom('messages')
        .select(['id', 'status', 'reason', 'errcode', 'content', 'created_at', 'sent_at'])
        .where('app_id', '=', p.appId)
        .where('user_id', '=', p.userId)
        .where('channel', '=', 'customer_service')
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(p.limit)
        .execute()
    },

    /** What the user wrote to customer service (pushed by WeChat), newest first. */
    incoming(db: Db, p: { appId: string; openid: string; limit: number }) {
      return db
        .selectFrom('callback_events')
        .select(['id', 'event_type', 'payload', 'create_time', 'received_at'])
        .where('app_id', '=', p.appId)
        .where('openid', '=', p.openid)
        .where('event_type', 'in', ['user_message', 'user_enter_tempsession'])
        .orderBy('id', 'desc')
        .limit(p.limit)
        .execute()
    },
  }
}

export type CustomerServiceStore = ReturnType<typeof createCustomerServiceStore>
