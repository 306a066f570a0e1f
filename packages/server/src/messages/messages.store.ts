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
 * The consent check the enqueue statement composes (the consents domain's CONSENT_GATE): CTEs
 * reading `eligible(ord, id, app_id, user_id, template_id, kind)`, ending in `allowed(ord, id)`.
 */
export type EnqueueGate = RawBuilder<unknown>

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
  recipient: { openid: string } | { userId: string }
}

/** What enqueueMany answers for each message, in input order. */
export interface EnqueueOutcome {
  /** The recipient's user id; null when no user of the app has that openid / id. */
  userId: string | null
  /** The idempotency key names a message written before this statement: that message. */
  duplicate: { id: string; status: MessageStatus } | null
  /** The consent gate let it through (a one-time credit taken, or the long-term consent on). */
  allowed: boolean
  /** Written. Allowed but not written: a concurrent request took the key (give the credit back). */
  written: boolean
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
     * The outbox write of many messages in ONE statement (one round trip and, alone, one commit:
     * concurrent accepts are grouped into it, see messages.group-commit.ts): find each recipient,
     * skip keys written before, pass the consent gate (`gate`, consents.credits.ts: one-time credits taken
     * with their ledger events, long-term consents checked), insert the messages and the first
     * history row of the scheduled ones. Two messages with the same idempotency key must not be in
     * one call (the caller puts the second in a later one). A caller whose messages carry keys runs
     * this in a transaction and gives back the credits of those allowed but not written.
     */
    async enqueueMany(db: Db, ms: NewMessage[], gate: EnqueueGate): Promise<EnqueueOutcome[]> {
      if (ms.length === 0) return []
      const createdAt = new Date() // millisecond precision, like the cursors built from it
      const rows = ms.map((m, ord) => ({
        ord,
        id: m.id,
        app_id: m.appId,
        openid: 'openid' in m.recipient ? m.recipient.openid : null,
        user_ref: 'userId' in m.recipient ? m.recipient.userId : null,
        template_id: m.templateId,
        kind: m.templateKind,
        data: m.data,
        page: m.page,
        mp_state: m.miniprogramState,
        lang: m.lang,
        status: m.status,
        run_at: m.runAt.toISOString(),
        idem: m.idempotencyKey,
        created_at: createdAt.toISOString(),
      }))
      const r = await sql<{
        user_id: string | null
        dup_id: string | null
        dup_status: MessageStatus | null
        allowed: boolean
        written: boolean
      }>`
        WITH v AS (
          SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
            AS v(ord int, id text, app_id text, openid text, user_ref text, template_id text, kind text,
                 data jsonb, page text, mp_state text, lang text, status text, run_at timestamptz,
                 idem text, created_at timestamptz)),
        r AS (
          SELECT v.*, u.id AS user_id, u.openid AS to_openid, d.id AS dup_id, d.status AS dup_status
            FROM v
            LEFT JOIN LATERAL (
                   SELECT id, openid FROM users WHERE app_id = v.app_id AND openid = v.openid
                   UNION ALL
                   SELECT id, openid FROM users WHERE app_id = v.app_id AND id = v.user_ref) u ON true
            LEFT JOIN LATERAL (
                   SELECT id, status FROM messages
                    WHERE v.idem IS NOT NULL AND idempotency_key IS NOT NULL
                      AND app_id = v.app_id AND idempotency_key = v.idem) d ON true),
        eligible AS (SELECT * FROM r WHERE user_id IS NOT NULL AND dup_id IS NULL),
        ${gate},
        inserted AS (
          INSERT INTO messages (id, app_id, user_id, openid, template_id, template_kind, data, page,
                                miniprogram_state, lang, status, run_at, idempotency_key, credit_reserved, created_at)
          SELECT e.id, e.app_id, e.user_id, e.to_openid, e.template_id, e.kind, e.data, e.page,
                 e.mp_state, e.lang, e.status, e.run_at, e.idem, e.kind = 'one_time', e.created_at
            FROM eligible e JOIN allowed a ON a.ord = e.ord
          ON CONFLICT (app_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
          RETURNING id, status),
        -- History: a queued message's first entry is implied by created_at; only a schedule is written.
        history AS (INSERT INTO message_events (message_id, status) SELECT id, status FROM inserted WHERE status = 'scheduled')
        SELECT r.user_id, r.dup_id, r.dup_status,
               EXISTS (SELECT 1 FROM allowed a WHERE a.ord = r.ord) AS allowed,
               EXISTS (SELECT 1 FROM inserted i WHERE i.id = r.id) AS written
          FROM r ORDER BY r.ord`.execute(db)
      return r.rows.map((x) => ({
        userId: x.user_id,
        duplicate: x.dup_id ? { id: x.dup_id, status: x.dup_status! } : null,
        allowed: x.allowed,
        written: x.written,
      }))
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

    /**
     * Every status the message went through. Two entries are implied by the row itself rather than
     * written (each would be a row and an index entry per message on the hot path, carrying nothing
     * the message row does not): the first, `queued` at created_at (a scheduled message's first
     * entry is written), and a plain `sent` at sent_at (one that carries a reason, such as delivery
     * evidence, is written).
     */
    async history(db: Db, m: { id: string; created_at: Date; sent_at: Date | null }) {
      const rows: {
        status: string
        reason: string | null
        errcode: number | null
        detail: string | null
        created_at: Date
      }[] = await db
        .selectFrom('message_events')
        .select(['status', 'reason', 'errcode', 'detail', 'created_at'])
        .where('message_id', '=', m.id)
        .orderBy('id')
        .execute()
      if (m.sent_at && !rows.some((r) => r.status === 'sent')) {
        const at = m.sent_at
        const after = rows.findIndex((r) => r.created_at > at)
        const sent = { status: 'sent', reason: null, errcode: 0, detail: null, created_at: at }
        rows.splice(after < 0 ? rows.length : after, 0, sent)
      }
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
                  EXISTS (SELECT 1 FROM callback_configs c WHERE c.app_id = m.app_id) AS has_callbacks`.execute(
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
     * and errcode, a retry time for retries, and a history row where it carries information (a plain
     * `sent` is implied by sent_at, see history()). Only rows this worker still leases move: answered
     * is a map from each id that did to the seconds since its message was accepted (a lease lost to
     * a sweep is not overwritten).
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
    ): Promise<Map<string, number>> {
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
      // The rows are found by primary key (ANY of the ids): measured, the planner otherwise read them
      // through messages_leases, walking every dead entry claims and finishes leave there (~46 pages
      // per row under load). `(status = 'sending') IS TRUE` says the same as `status = 'sending'`
      // without matching that partial index's predicate.
      const r = await sql<{ id: string; age: number }>`
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
           WHERE m.id = ANY (ARRAY(SELECT id FROM v)) AND m.id = v.id
             AND m.leased_by = ${p.workerId} AND (m.status = 'sending') IS TRUE
          RETURNING m.id, extract(epoch FROM clock_timestamp() - m.created_at)::float8 AS age),
        history AS (
          INSERT INTO message_events (message_id, status, reason, errcode, detail)
          SELECT v.id, v.status, v.reason, v.errcode, v.detail FROM v JOIN done ON done.id = v.id
           WHERE NOT (v.status = 'sent' AND v.reason IS NULL AND v.detail IS NULL)
             -- a wait that repeats (refused credentials, rechecked now and then) is in the history once
             AND (v.refund = 0 OR NOT EXISTS (
                   SELECT 1 FROM message_events e WHERE e.message_id = v.id AND e.reason = v.reason)))
        SELECT id, age FROM done`.execute(db)
      return new Map(r.rows.map((x) => [x.id, Number(x.age)]))
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

    /**
     * Due messages not yet claimed, counted up to `cap` (bounded cost per scrape), and the oldest
     * one's run_at: single sends by their index order, campaign messages among the counted rows.
     */
    async queueDepth(db: Db, cap: number) {
      const r = await sql<{ depth: number; oldest: Date | null; oldest_single: Date | null }>`
        SELECT d.depth, d.oldest,
               (SELECT run_at FROM messages
                 WHERE status IN ('queued', 'scheduled') AND run_at <= now() AND campaign_id IS NULL
                 ORDER BY run_at LIMIT 1) AS oldest_single
          FROM (SELECT count(*)::int AS depth, min(run_at) AS oldest
                  FROM (SELECT run_at FROM messages
                         WHERE status IN ('queued', 'scheduled') AND run_at <= now()
                         LIMIT ${cap}) due) d`.execute(db)
      const row = r.rows[0]
      const oldest = [row?.oldest, row?.oldest_single].filter((x): x is Date => x instanceof Date)
      return {
        depth: row?.depth ?? 0,
        oldest: oldest.length > 0 ? new Date(Math.min(...oldest.map((x) => x.getTime()))) : null,
      }
    },

    /**
     * A subscribe_msg_sent_event whose msgid no message has: the evidence for a message waiting after an
     * attempt with an unknown outcome. It names only the user and the template, so the oldest waiting
     * message of that pair is settled: sent with WeChat's msgid, then delivered or failed as the event
     * says. Null when none waits, or while a send of the pair is in flight (the caller tries again later).
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
