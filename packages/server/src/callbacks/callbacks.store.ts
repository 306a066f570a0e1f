// Every SQL statement about message push: per-app configuration, the event inbox and its claim
// protocol, and the customer-service window.
//
// The event inbox (see migrations/0006_callbacks.sql):
//   insert   in the request, after verification; ON CONFLICT (app_id, dedupe_key) DO NOTHING keeps one
//            row per push however often WeChat retries it. Only then does WeChat get `success`.
//   claim    UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED): each due row goes to one worker.
//            The claim pushes run_at forward by the lease and counts the attempt; a worker that dies
//            leaves the row pending, and it is due again when the lease runs out.
//            An ordered row (popup, change) is claimable only when no older ordered row of the same
//            user is still pending, so the ledger sees one user's answers in arrival order.
//   finish   the attempt number is the fence: only the claim that counted it may finish the row. The
//            'done' update runs first in the transaction that applies the effects, so the effects and
//            the marker commit together or not at all.
import { sql } from 'kysely'
import type { Db } from '../db/db.ts'

export type CallbackMode = 'plain' | 'compatible' | 'secure'
export type CallbackFormat = 'json' | 'xml'

export interface NewCallbackEvent {
  appId: string
  dedupeKey: string
  eventType: string
  openid: string
  createTime: number
  format: CallbackFormat
  body: string
  payload: Record<string, unknown>
  ordered: boolean
}

export interface ClaimedEvent {
  id: string
  app_id: string
  event_type: string
  openid: string
  create_time: string
  payload: Record<string, unknown>
  attempts: number
  received_at: Date
}

export function createCallbacksStore() {
  return {
    findConfig(db: Db, appId: string) {
      return db.selectFrom('callback_configs').selectAll().where('app_id', '=', appId).executeTakeFirst()
    },

    async upsertConfig(
      db: Db,
      c: {
        appId: string
        tokenEnc: string
        encodingAesKeyEnc: string | null
        mode: CallbackMode
        format: CallbackFormat
      },
    ) {
      return db
        .insertInto('callback_configs')
        .values({
          app_id: c.appId,
          token_enc: c.tokenEnc,
          encoding_aes_key_enc: c.encodingAesKeyEnc,
          mode: c.mode,
          format: c.format,
        })
        .onConflict((oc) =>
          oc.column('app_id').doUpdateSet({
            token_enc: c.tokenEnc,
            encoding_aes_key_enc: c.encodingAesKeyEnc,
            mode: c.mode,
            format: c.format,
            updated_at: new Date(),
          }),
        )
        .returningAll()
        .executeTakeFirstOrThrow()
    },

    /**
     * Remembers the body signed under (timestamp, nonce): 'new' the first time, 'same' for a retry
     * of the same body, 'different' for another body under a pair already used (or a concurrent
     * first use whose row this statement cannot see yet: refused, WeChat retries later).
     */
    async rememberNonce(
      db: Db,
      p: { appId: string; timestamp: string; nonce: string; bodyHash: string },
    ): Promise<'new' | 'same' | 'different'> {
      const r = await sql<{ inserted: string | null; existing: string | null }>`
        WITH ins AS (
          INSERT INTO callback_nonces (app_id, ts, nonce, body_hash)
          VALUES (${p.appId}, ${p.timestamp}, ${p.nonce}, ${p.bodyHash})
          ON CONFLICT DO NOTHING
          RETURNING body_hash)
        SELECT (SELECT body_hash FROM ins) AS inserted,
               (SELECT body_hash FROM callback_nonces
                 WHERE app_id = ${p.appId} AND ts = ${p.timestamp} AND nonce = ${p.nonce}) AS existing`.execute(
        db,
      )
      const row = r.rows[0]
      if (row?.inserted) return 'new'
      return row?.existing === p.bodyHash ? 'same' : 'different'
    },

    async forgetNoncesBefore(db: Db, before: Date): Promise<void> {
      await db.deleteFrom('callback_nonces').where('seen_at', '<', before).execute()
    },

    /** Returns false when this push was stored already (a retry by WeChat). */
    async insertEvent(db: Db, e: NewCallbackEvent): Promise<boolean> {
      const r = await db
        .insertInto('callback_events')
        .values({
          app_id: e.appId,
          dedupe_key: e.dedupeKey,
          event_type: e.eventType,
          openid: e.openid,
          create_time: e.createTime,
          format: e.format,
          body: e.body,
          payload: JSON.stringify(e.payload),
          ordered: e.ordered,
        })
        .onConflict((oc) => oc.columns(['app_id', 'dedupe_key']).doNothing())
        .executeTakeFirst()
      return Number(r.numInsertedOrUpdatedRows ?? 0) === 1
    },

    /** Claims up to `limit` due events. See the protocol at the top of this file. */
    async claim(db: Db, p: { limit: number; leaseMs: number }): Promise<ClaimedEvent[]> {
      const r = await sql<ClaimedEvent>`
        UPDATE callback_events e
           SET attempts = e.attempts + 1,
               run_at = now() + make_interval(secs => ${p.leaseMs / 1000})
         WHERE e.id IN (
                SELECT c.id FROM callback_events c
                 WHERE c.status = 'pending' AND c.run_at <= now()
                   AND NOT (c.ordered AND EXISTS (
                         SELECT 1 FROM callback_events o
                          WHERE o.status = 'pending' AND o.ordered
                            AND o.app_id = c.app_id AND o.openid = c.openid AND o.id < c.id))
                 ORDER BY c.run_at, c.id
                 LIMIT ${p.limit}
                   FOR UPDATE OF c SKIP LOCKED)
        RETURNING e.id, e.app_id, e.event_type, e.openid, e.create_time::text AS create_time,
                  e.payload, e.attempts, e.received_at`.execute(db)
      return r.rows
    },

    /** First statement of the processing transaction; false when another claim took the row over. */
    async markDone(db: Db, p: { id: string; attempts: number }): Promise<boolean> {
      const r = await db
        .updateTable('callback_events')
        .set({ status: 'done', processed_at: new Date(), error: null })
        .where('id', '=', p.id)
        .where('attempts', '=', p.attempts)
        .where('status', '=', 'pending')
        .executeTakeFirst()
      return Number(r.numUpdatedRows) === 1
    },

    /** After a failed attempt: due again at `runAt`, or given up (`failed`) when runAt is null. */
    async markRetry(db: Db, p: { id: string; attempts: number; error: string; runAt: Date | null }) {
      await db
        .updateTable('callback_events')
        .set(
          p.runAt
            ? { run_at: p.runAt, error: p.error }
            : { status: 'failed', processed_at: new Date(), error: p.error },
        )
        .where('id', '=', p.id)
        .where('attempts', '=', p.attempts)
        .where('status', '=', 'pending')
        .execute()
    },

    listEvents(db: Db, p: { appId: string; limit: number }) {
      return db
        .selectFrom('callback_events')
        .select([
          'id',
          'dedupe_key',
          'event_type',
          'openid',
          'create_time',
          'status',
          'attempts',
          'error',
          'received_at',
          'processed_at',
        ])
        .where('app_id', '=', p.appId)
        .orderBy('id', 'desc')
        .limit(p.limit)
        .execute()
    },

    /**
     * A pushed user action: records its time (moved forward only: a late retry of an older message
     * changes nothing) and answers the window's count and deadline as they stand, the row locked
     * until the caller's transaction ends, so that an accepted customer-service message and the
     * action do not interleave. The caller moves the window (setWindow) by WeChat's rule.
     */
    async touchWindow(db: Db, p: { appId: string; userId: string; kind: 'message' | 'session'; at: Date }) {
      const column = p.kind === 'message' ? 'last_message_at' : 'last_session_at'
      const r = await sql<{ allowance_left: number; open_until: Date | null }>`
        INSERT INTO customer_service_windows (user_id, app_id, ${sql.ref(column)})
        VALUES (${p.userId}, ${p.appId}, ${p.at})
        ON CONFLICT (user_id) DO UPDATE
           SET ${sql.ref(column)} = greatest(customer_service_windows.${sql.ref(column)}, excluded.${sql.ref(column)}),
               updated_at = now()
        RETURNING allowance_left, open_until`.execute(db)
      return r.rows[0]!
    },

    async setWindow(db: Db, p: { userId: string; allowanceLeft: number; openUntil: Date }) {
      await db
        .updateTable('customer_service_windows')
        .set({ allowance_left: p.allowanceLeft, open_until: p.openUntil })
        .where('user_id', '=', p.userId)
        .execute()
    },

    findWindow(db: Db, userId: string) {
      return db
        .selectFrom('customer_service_windows')
        .select(['last_message_at', 'last_session_at', 'allowance_left', 'open_until'])
        .where('user_id', '=', userId)
        .executeTakeFirst()
    },
  }
}

export type CallbacksStore = ReturnType<typeof createCallbacksStore>
