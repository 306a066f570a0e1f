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
import { sql, type RawBuilder, type Selectable } from 'kysely'
import type { Db } from '../db/db.ts'
import type { MessageStatus, MessagesTable } from '../db/db.schema.ts'

/**
 * The consent check the enqueue statement composes (the consents domain's consentGate): CTEs,
 * given the recipient's user id expression, ending in `allowed(user_id)`.
 */
export type EnqueueGate = (user: RawBuilder<unknown>) => RawBuilder<unknown>

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

/** What a claim hands the dispatcher: the message's columns needed to send it and decide after. */
export type ClaimedMessage = Pick<
  Selectable<MessagesTable>,
  | 'id'
  | 'app_id'
  | 'user_id'
  | 'openid'
  | 'template_id'
  | 'template_kind'
  | 'data'
  | 'page'
  | 'miniprogram_state'
  | 'lang'
  | 'attempts'
  | 'uncertain_attempts'
  | 'credit_reserved'
  | 'channel'
  | 'content'
> & {
  /** The app has a callback configuration: WeChat's subscribe_msg_sent_event can settle an unknown outcome. */
  has_callbacks: boolean
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
     * pass the consent gate (a one-time credit taken with its ledger event, or a long-term consent
     * checked), insert the message and its first history row. `messageId` is null when the gate
     * refused (`allowed` false) or when the idempotency key exists already; a caller with a key
     * runs this in a transaction and rolls back in that case, so that the credit taken for nothing
     * is given back.
     */
    async enqueue(
      db: Db,
      m: NewMessage & { recipient: { openid: string } | { userId: string } },
      gate: EnqueueGate,
    ) {
      const who =
        'openid' in m.recipient ? sql`openid = ${m.recipient.openid}` : sql`id = ${m.recipient.userId}`
      const r = await sql<{ user_id: string | null; allowed: number; message_id: string | null }>`
        WITH u AS (SELECT id, openid FROM users WHERE app_id = ${m.appId} AND ${who}),
        ${gate(sql`(SELECT id FROM u)`)},
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
        campaignId?: string | undefined
        before?: { createdAt: Date; id: string } | undefined
        limit: number
      },
    ) {
      let q = db.selectFrom('messages').selectAll().where('app_id', '=', p.appId)
      if (p.status) q = q.where('status', '=', p.status)
      if (p.userId) q = q.where('user_id', '=', p.userId)
      if (p.templateId) q = q.where('template_id', '=', p.templateId)
      if (p.campaignId) q = q.where('campaign_id', '=', p.campaignId)
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
               updated_at = now(),
               awaiting_evidence_since = NULL
         WHERE m.id IN (
                SELECT id FROM messages q
                 WHERE status IN ('queued', 'scheduled') AND run_at <= now() AND campaign_id IS NULL
                   -- not while another message to the same user and template waits for delivery
                   -- evidence: the event names only the pair, so one send of a pair at a time
                   AND NOT EXISTS (
                         SELECT 1 FROM messages w
                          WHERE w.awaiting_evidence_since IS NOT NULL AND w.run_at > now()
                            AND w.app_id = q.app_id AND w.openid = q.openid
                            AND w.template_id = q.template_id AND w.id <> q.id)
                 ORDER BY run_at
                 LIMIT ${p.limit}
                   FOR UPDATE SKIP LOCKED)
        RETURNING m.id, m.app_id, m.user_id, m.openid, m.template_id, m.template_kind, m.data, m.page,
                  m.miniprogram_state, m.lang, m.attempts, m.uncertain_attempts, m.credit_reserved,
                  m.channel, m.content,
                  (m.channel = 'subscribe'
                   AND EXISTS (SELECT 1 FROM callback_configs c WHERE c.app_id = m.app_id)) AS has_callbacks`.execute(
        db,
      )
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
      p: {
        workerId: string
        items: {
          id: string
          outcome: Outcome
          retryAt?: Date
          uncertain?: boolean
          attemptCounts?: boolean
          /** Wait for delivery evidence until retryAt (see 0008_b_delivery_evidence.sql). */
          awaitEvidence?: boolean
        }[]
      },
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
        // an attempt that never reached WeChat because of our own state (refused credentials) is given back
        refund: i.attemptCounts === false ? 1 : 0,
        evidence: i.awaitEvidence ? 1 : 0,
      }))
      const r = await sql<{ id: string }>`
        WITH v AS (
          SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
            AS v(id text, status text, reason text, errcode int, errmsg text, msgid text, detail text,
                 retry_at timestamptz, uncertain int, refund int, evidence int)),
        done AS (
          UPDATE messages m
             SET status = v.status, reason = v.reason, errcode = v.errcode, errmsg = v.errmsg,
                 wechat_msgid = v.msgid, lease_until = NULL, leased_by = NULL, updated_at = now(),
                 sent_at = CASE WHEN v.status = 'sent' THEN now() ELSE m.sent_at END,
                 run_at = coalesce(v.retry_at, m.run_at),
                 uncertain_attempts = m.uncertain_attempts + v.uncertain,
                 attempts = m.attempts - v.refund,
                 awaiting_evidence_since = CASE WHEN v.evidence = 1 THEN now() ELSE NULL END
            FROM v
           WHERE m.id = v.id AND m.leased_by = ${p.workerId} AND m.status = 'sending'
          RETURNING m.id),
        history AS (
          INSERT INTO message_events (message_id, status, reason, errcode, detail)
          SELECT v.id, v.status, v.reason, v.errcode, v.detail FROM v JOIN done ON done.id = v.id
           -- a wait that repeats (refused credentials, rechecked now and then) is in the history once
           WHERE v.refund = 0 OR NOT EXISTS (
                   SELECT 1 FROM message_events e WHERE e.message_id = v.id AND e.reason = v.reason))
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
     * A subscribe_msg_sent_event whose msgid no message has: the evidence for a message waiting after an
     * attempt with an unknown outcome. It names only the user and the template, so the oldest waiting
     * message of that pair is settled: sent with WeChat's msgid, then delivered or failed as the event
     * says. Null when none waits, or while a send of the pair is in flight (the caller tries again later),
     * or when a message already holds this msgid (its send finished after the caller looked it up).
     */
    async settleByEvidence(
      db: Db,
      p: {
        appId: string
        openid: string
        templateId: string
        wechatMsgid: string
        delivered: boolean
        errcode: number
        errmsg: string
      },
    ): Promise<{ messageId: string } | null> {
      const r = await sql<{ id: string }>`
        UPDATE messages m
           SET status = ${p.delivered ? 'delivered' : 'failed'},
               reason = ${p.delivered ? null : 'delivery_failed'},
               errcode = ${p.delivered ? 0 : p.errcode},
               errmsg = ${p.delivered ? null : p.errmsg},
               wechat_msgid = ${p.wechatMsgid},
               sent_at = now(),
               delivered_at = ${p.delivered ? sql`now()` : sql`NULL`},
               awaiting_evidence_since = NULL,
               updated_at = now()
         WHERE m.id = (
                SELECT id FROM messages
                 WHERE app_id = ${p.appId} AND openid = ${p.openid} AND template_id = ${p.templateId}
                   AND status = 'queued' AND awaiting_evidence_since IS NOT NULL
                   -- a send of the same pair in flight may own this event (its msgid not written yet):
                   -- wait until it has finished rather than credit the wrong message
                   AND NOT EXISTS (
                         SELECT 1 FROM messages s
                          WHERE s.app_id = ${p.appId} AND s.openid = ${p.openid}
                            AND s.template_id = ${p.templateId} AND s.status = 'sending')
                   -- …or has just finished with it: one snapshot sees that send either still
                   -- 'sending' or already holding this msgid, so the event is never credited twice
                   AND NOT EXISTS (
                         SELECT 1 FROM messages x
                          WHERE x.app_id = ${p.appId} AND x.wechat_msgid = ${p.wechatMsgid})
                 ORDER BY awaiting_evidence_since, id
                 LIMIT 1
                   FOR UPDATE SKIP LOCKED)
        RETURNING m.id`.execute(db)
      const id = r.rows[0]?.id
      if (id === undefined) return null
      await event(db, id, { status: 'sent', reason: 'delivery_evidence', detail: `msgid ${p.wechatMsgid}` })
      await event(
        db,
        id,
        p.delivered
          ? { status: 'delivered', errcode: 0, detail: p.errmsg || null }
          : { status: 'failed', reason: 'delivery_failed', errcode: p.errcode, detail: p.errmsg || null },
      )
      return { messageId: id }
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
