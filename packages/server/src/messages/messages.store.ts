// Every SQL statement about messages: the outbox insert, the claim protocol, finishing, retrying.
//
// The claim protocol (graphile-worker / pg-boss style):
//   claim    UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED LIMIT n): each due row goes to one
//            worker; concurrent claimers skip rows another holds instead of waiting on them. It reads
//            only queued rows (messages_due), never the ones in flight.
//   lease    a claimed row carries lease_until; a worker that dies leaves 'sending' rows whose lease
//            runs out. The sweep puts them back in the queue (the lost attempt counted as uncertain):
//            measured, folding that into the claim made every claim walk the ~100 rows in flight
//            (91 rows read per message sent).
//   finish   only the lease holder may finish a row (leased_by = me AND status = 'sending').
import { sql } from 'kysely'
import type { Db } from '../db/db.ts'
import { CREDITS_LEFT } from '../consents/consents.store.ts'
import type { MessageStatus } from '../db/db.schema.ts'

export interface NewMessage {
  id: string
  appId: string
  templateId: string
  templateKind: 'one_time' | 'long_term'
  data: Record<string, string>
  page: string | null
  miniprogramState: string | null
  lang: string | null
  status: 'queued' | 'scheduled'
  runAt: Date
  idempotencyKey: string | null
}

export interface ClaimedMessage {
  id: string
  app_id: string
  user_id: string
  openid: string
  template_id: string
  template_kind: 'one_time' | 'long_term'
  data: Record<string, string>
  page: string | null
  miniprogram_state: string | null
  lang: string | null
  attempts: number
  uncertain_attempts: number
  credit_reserved: boolean
  /** 'subscribe' unless another channel (docs/channels.md); `content` is a customer-service body. */
  channel: 'subscribe' | 'customer_service' | 'official_account'
  content: Record<string, unknown> | null
}

export interface Outcome {
  status: MessageStatus
  reason?: string | null
  errcode?: number | null
  errmsg?: string | null
  wechatMsgid?: string | null
  detail?: string | null
}

export function createMessagesStore() {
  const event = (db: Db, messageId: string, o: Outcome) =>
    db
      .insertInto('message_events')
      .values({
        message_id: messageId,
        status: o.status,
        reason: o.reason ?? null,
        errcode: o.errcode ?? null,
        detail: o.detail ?? null,
      })
      .execute()

  return {
    /**
     * The outbox write, in ONE statement (one round trip, atomic on its own): find the recipient,
     * take a one-time credit (or check a long-term consent), insert the message and its first
     * history row. `messageId` is null when the user has no credit (`allowed` 0) or when the
     * idempotency key exists already; a caller with a key runs this in a transaction and rolls
     * back in that case, so that the credit taken for nothing is given back.
     */
    async enqueue(db: Db, m: NewMessage & { recipient: { openid: string } | { userId: string } }) {
      const who =
        'openid' in m.recipient ? sql`openid = ${m.recipient.openid}` : sql`id = ${m.recipient.userId}`
      const r = await sql<{ user_id: string | null; allowed: number; message_id: string | null }>`
        WITH u AS (SELECT id, openid FROM users WHERE app_id = ${m.appId} AND ${who}),
        taken AS (
          UPDATE consents SET used = used + 1, updated_at = now()
           WHERE ${m.templateKind}::text = 'one_time'
             AND user_id = (SELECT id FROM u) AND template_id = ${m.templateId}
             AND ${CREDITS_LEFT} > 0
          RETURNING user_id),
        allowed AS (
          SELECT user_id FROM taken
          UNION ALL
          SELECT user_id FROM consents
           WHERE ${m.templateKind}::text = 'long_term'
             AND user_id = (SELECT id FROM u) AND template_id = ${m.templateId} AND status = 'accept'),
        inserted AS (
          INSERT INTO messages (id, app_id, user_id, openid, template_id, template_kind, data, page,
                                miniprogram_state, lang, status, run_at, idempotency_key, credit_reserved, created_at)
          SELECT ${m.id}, ${m.appId}, a.user_id, (SELECT openid FROM u), ${m.templateId}, ${m.templateKind},
                 ${JSON.stringify(m.data)}::jsonb, ${m.page}, ${m.miniprogramState}, ${m.lang}, ${m.status},
                 ${m.runAt}::timestamptz, ${m.idempotencyKey}::text, ${m.templateKind}::text = 'one_time',
                 ${new Date()}::timestamptz -- millisecond precision, like the cursors built from it
            FROM allowed a
          ON CONFLICT (app_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
          RETURNING id, status),
        -- History: a queued message's first entry is implied by created_at; only a schedule is written.
        history AS (INSERT INTO message_events (message_id, status) SELECT id, status FROM inserted WHERE status = 'scheduled')
        SELECT (SELECT id FROM u) AS user_id, (SELECT count(*)::int FROM allowed) AS allowed,
               (SELECT id FROM inserted) AS message_id`.execute(db)
      const row = r.rows[0]!
      return { userId: row.user_id, allowed: row.allowed > 0, messageId: row.message_id }
    },

    findByIdempotencyKey(db: Db, appId: string, key: string) {
      return db
        .selectFrom('messages')
        .select(['id', 'status'])
        .where('app_id', '=', appId)
        .where('idempotency_key', '=', key)
        .executeTakeFirst()
    },

    findById(db: Db, appId: string, id: string) {
      return db
        .selectFrom('messages')
        .selectAll()
        .where('app_id', '=', appId)
        .where('id', '=', id)
        .executeTakeFirst()
    },

    /** Every status the message went through; the first, unless scheduled, comes from created_at. */
    async history(db: Db, m: { id: string; created_at: Date }) {
      const rows = await db
        .selectFrom('message_events')
        .select(['status', 'reason', 'errcode', 'detail', 'created_at'])
        .where('message_id', '=', m.id)
        .orderBy('id')
        .execute()
      if (rows[0]?.status === 'scheduled') return rows
      return [
        { status: 'queued', reason: null, errcode: null, detail: null, created_at: m.created_at },
        ...rows,
      ]
    },

    list(
      db: Db,
      p: {
        appId: string
        status?: MessageStatus | undefined
        userId?: string | undefined
        templateId?: string | undefined
        before?: { createdAt: Date; id: string } | undefined
        limit: number
      },
    ) {
      let q = db.selectFrom('messages').selectAll().where('app_id', '=', p.appId)
      if (p.status) q = q.where('status', '=', p.status)
      if (p.userId) q = q.where('user_id', '=', p.userId)
      if (p.templateId) q = q.where('template_id', '=', p.templateId)
      if (p.before) {
        const b = p.before
        q = q.where((eb) =>
          eb.or([
            eb('created_at', '<', b.createdAt),
            eb.and([eb('created_at', '=', b.createdAt), eb('id', '<', b.id)]),
          ]),
        )
      }
      return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(p.limit).execute()
    },

    /** Claims up to `limit` due messages for `workerId`. See the protocol at the top of this file. */
    async claim(db: Db, p: { workerId: string; limit: number; leaseMs: number }): Promise<ClaimedMessage[]> {
      const r = await sql<ClaimedMessage>`
        UPDATE messages m
           SET status = 'sending',
               attempts = m.attempts + 1,
               lease_until = now() + make_interval(secs => ${p.leaseMs / 1000}),
               leased_by = ${p.workerId},
               updated_at = now()
         WHERE m.id IN (
                SELECT id FROM messages
                 WHERE status IN ('queued', 'scheduled') AND run_at <= now()
                 ORDER BY run_at
                 LIMIT ${p.limit}
                   FOR UPDATE SKIP LOCKED)
        RETURNING m.id, m.app_id, m.user_id, m.openid, m.template_id, m.template_kind, m.data, m.page,
                  m.miniprogram_state, m.lang, m.attempts, m.uncertain_attempts, m.credit_reserved,
                  m.channel, m.content`.execute(db)
      return r.rows
    },

    /** Returns messages whose worker died (lease run out) to the queue. Any process may run it. */
    async sweepExpiredLeases(db: Db): Promise<number> {
      const r = await sql<{ id: string }>`
        WITH expired AS (
          UPDATE messages
             SET status = 'queued', uncertain_attempts = uncertain_attempts + 1,
                 lease_until = NULL, leased_by = NULL, updated_at = now()
           WHERE status = 'sending' AND lease_until < now()
          RETURNING id),
        history AS (
          INSERT INTO message_events (message_id, status, reason)
          SELECT id, 'queued', 'lease_expired' FROM expired)
        SELECT id FROM expired`.execute(db)
      return r.rows.length
    },

    /**
     * Records many outcomes in one statement (the dispatcher's hot path): each row's status, reason
     * and errcode, a retry time for retries, and a history row. Only rows this worker still leases
     * move; the ids that did are returned (a lease lost to a sweep is not overwritten).
     */
    async finishBatch(
      db: Db,
      p: { workerId: string; items: { id: string; outcome: Outcome; retryAt?: Date; uncertain?: boolean }[] },
    ) {
      const rows = p.items.map((i) => ({
        id: i.id,
        status: i.outcome.status,
        reason: i.outcome.reason ?? null,
        errcode: i.outcome.errcode ?? null,
        errmsg: i.outcome.errmsg ?? null,
        msgid: i.outcome.wechatMsgid ?? null,
        detail: i.outcome.detail ?? null,
        retry_at: i.retryAt?.toISOString() ?? null,
        uncertain: i.uncertain ? 1 : 0,
      }))
      const r = await sql<{ id: string }>`
        WITH v AS (
          SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
            AS v(id text, status text, reason text, errcode int, errmsg text, msgid text, detail text,
                 retry_at timestamptz, uncertain int)),
        done AS (
          UPDATE messages m
             SET status = v.status, reason = v.reason, errcode = v.errcode, errmsg = v.errmsg,
                 wechat_msgid = v.msgid, lease_until = NULL, leased_by = NULL, updated_at = now(),
                 sent_at = CASE WHEN v.status = 'sent' THEN now() ELSE m.sent_at END,
                 run_at = coalesce(v.retry_at, m.run_at),
                 uncertain_attempts = m.uncertain_attempts + v.uncertain
            FROM v
           WHERE m.id = v.id AND m.leased_by = ${p.workerId} AND m.status = 'sending'
          RETURNING m.id),
        history AS (
          INSERT INTO message_events (message_id, status, reason, errcode, detail)
          SELECT v.id, v.status, v.reason, v.errcode, v.detail FROM v JOIN done ON done.id = v.id)
        SELECT id FROM done`.execute(db)
      return new Set(r.rows.map((x) => x.id))
    },

    /** Cancels a message that has not been claimed. Returns the row when it did. */
    async cancel(db: Db, appId: string, id: string) {
      const r = await db
        .updateTable('messages')
        .set({ status: 'cancelled', reason: 'cancelled', updated_at: new Date() })
        .where('app_id', '=', appId)
        .where('id', '=', id)
        .where('status', 'in', ['queued', 'scheduled'])
        .returning(['id', 'user_id', 'template_id', 'credit_reserved'])
        .executeTakeFirst()
      if (r) await event(db, id, { status: 'cancelled', reason: 'cancelled' })
      return r
    },

    async queueDepth(db: Db) {
      const r = await sql<{ depth: string; oldest: Date | null }>`
        SELECT count(*)::text AS depth, min(run_at) AS oldest FROM messages
         WHERE status IN ('queued', 'scheduled') AND run_at <= now()`.execute(db)
      return { depth: Number(r.rows[0]?.depth ?? 0), oldest: r.rows[0]?.oldest ?? null }
    },

    /**
     * WeChat's subscribe_msg_sent_event for the message with this msgid: sent → delivered, or → failed
     * (delivery_failed, with WeChat's ErrorCode and ErrorStatus). Only a `sent` row moves, so a repeated
     * event changes nothing. `not_yet`: no message has this msgid yet, or the dispatcher's `sent`
     * committed between the two statements (the event overtook it): the caller tries again later.
     */
    async recordDelivery(
      db: Db,
      p: { appId: string; wechatMsgid: string; delivered: boolean; errcode: number; errmsg: string },
    ): Promise<{ result: 'updated' | 'unchanged' | 'not_yet'; messageId: string | null }> {
      const now = new Date()
      const outcome: Outcome = p.delivered
        ? { status: 'delivered', errcode: 0, detail: p.errmsg || null }
        : { status: 'failed', reason: 'delivery_failed', errcode: p.errcode, detail: p.errmsg || null }
      const moved = await db
        .updateTable('messages')
        .set(
          p.delivered
            ? { status: 'delivered', delivered_at: now, updated_at: now }
            : {
                status: 'failed',
                reason: 'delivery_failed',
                errcode: p.errcode,
                errmsg: p.errmsg,
                updated_at: now,
              },
        )
        .where('app_id', '=', p.appId)
        .where('wechat_msgid', '=', p.wechatMsgid)
        .where('status', '=', 'sent')
        .returning('id')
        .executeTakeFirst()
      if (moved) {
        await event(db, moved.id, outcome)
        return { result: 'updated', messageId: moved.id }
      }
      const other = await db
        .selectFrom('messages')
        .select(['id', 'status'])
        .where('app_id', '=', p.appId)
        .where('wechat_msgid', '=', p.wechatMsgid)
        .executeTakeFirst()
      if (!other || other.status === 'sent') return { result: 'not_yet', messageId: other?.id ?? null }
      return { result: 'unchanged', messageId: other.id }
    },
  }
}

export type MessagesStore = ReturnType<typeof createMessagesStore>
