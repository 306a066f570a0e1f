// SQL of the consent ledger. Every method takes `db`, which may be a transaction. Credits are
// CREDITS_LEFT (consents.credits.ts); a credit is taken by the outbox's enqueue statement through
// consentGate, in the same statement that writes the message. 0010: reports waiting for WeChat's proof.
import { sql } from 'kysely'
import type { Db } from '../db/db.ts'
import type { ConsentSource, ConsentStatus, ItemSettings } from '../db/db.schema.ts'
import { CREDITS_LEFT, LONG_TERM_ON } from './consents.credits.ts'

/**
 * The user turned sends of this template off in WeChat's settings, as far as wxpush knows: the
 * main switch, or "always keep: reject" (or a template WeChat banned) for this template (0010).
 */
/** Accepts reported by the mini program, the excess over the confirmed ones dropped once expired. */
const REPORTED_NOW = sql`CASE WHEN consents.unconfirmed_until < now() AND consents.reported > consents.confirmed
  THEN greatest(consents.confirmed, consents.used) ELSE consents.reported END`

export interface LedgerEvent {
  appId: string
  userId: string
  templateId: string
  action: string
  source: string
  delta: number
  messageId?: string | null
}

export interface ConsentRow {
  template_id: string
  credits: number
  status: ConsentStatus
  unconfirmed_until: Date | null
}

export function createConsentsStore() {
  return {
    /**
     * One answer from one source. A report (source 'miniprogram') that goes beyond the confirmed
     * accepts waits for its proof until unconfirmed_until, when `confirmWindowS` is set (the app
     * receives popup events); the window starts at the first unconfirmed report and later ones do
     * not move it. An event (source 'wechat') confirms; a refusal in an event voids the reports it
     * contradicts at once.
     */
    async addAnswer(
      db: Db,
      p: {
        appId: string
        userId: string
        templateId: string
        status: ConsentStatus
        source: ConsentSource
        accept: boolean
        confirmWindowS: number | null
      },
    ): Promise<ConsentRow> {
      const inc = p.accept ? 1 : 0
      const expired = sql`consents.unconfirmed_until < now()`
      const window = sql`now() + ${p.confirmWindowS}::int * interval '1 second'`
      const r =
        p.source === 'miniprogram'
          ? await sql<ConsentRow>`
        INSERT INTO consents (app_id, user_id, template_id, reported, status, source, unconfirmed_until)
        VALUES (${p.appId}, ${p.userId}, ${p.templateId}, ${inc}, ${p.status}, 'miniprogram',
                CASE WHEN ${inc} > 0 AND ${p.confirmWindowS}::int IS NOT NULL THEN ${window} END)
        ON CONFLICT (user_id, template_id) DO UPDATE
           SET reported = ${REPORTED_NOW} + ${inc},
               unconfirmed_until = CASE
                 WHEN ${p.confirmWindowS}::int IS NULL OR ${REPORTED_NOW} + ${inc} <= consents.confirmed THEN NULL
                 WHEN consents.unconfirmed_until IS NULL OR ${expired} THEN ${window}
                 ELSE consents.unconfirmed_until END,
               status = excluded.status, source = excluded.source, updated_at = now()
        RETURNING template_id, ${CREDITS_LEFT} AS credits, status, unconfirmed_until`.execute(db)
          : await sql<ConsentRow>`
        INSERT INTO consents (app_id, user_id, template_id, confirmed, status, source)
        VALUES (${p.appId}, ${p.userId}, ${p.templateId}, ${inc}, ${p.status}, 'wechat')
        ON CONFLICT (user_id, template_id) DO UPDATE
           SET confirmed = consents.confirmed + ${inc},
               reported = CASE WHEN (${inc} = 0 OR ${expired}) AND consents.reported > consents.confirmed
                 THEN greatest(consents.confirmed, consents.used) ELSE consents.reported END,
               unconfirmed_until = CASE
                 WHEN ${inc} = 0 OR ${expired} OR consents.confirmed + ${inc} >= consents.reported THEN NULL
                 ELSE consents.unconfirmed_until END,
               status = excluded.status, source = excluded.source, updated_at = now()
        RETURNING template_id, ${CREDITS_LEFT} AS credits, status, unconfirmed_until`.execute(db)
      return r.rows[0]!
    },

    /** Gives back one credit per listed message, in one statement, with the ledger events. */
    async giveCredits(
      db: Db,
      refs: { appId: string; userId: string; templateId: string; messageId: string }[],
    ) {
      if (refs.length === 0) return
      const rows = JSON.stringify(
        refs.map((r) => ({
          app_id: r.appId,
          user_id: r.userId,
          template_id: r.templateId,
          message_id: r.messageId,
        })),
      )
      await sql`
        WITH v AS (SELECT * FROM jsonb_to_recordset(${rows}::jsonb) AS v(app_id text, user_id text, template_id text, message_id text)),
        n AS (SELECT user_id, template_id, count(*)::int AS k FROM v GROUP BY user_id, template_id),
        given AS (
          UPDATE consents c SET used = greatest(c.used - n.k, 0), updated_at = now()
            FROM n WHERE c.user_id = n.user_id AND c.template_id = n.template_id)
        INSERT INTO consent_events (app_id, user_id, template_id, action, source, delta, message_id)
        SELECT app_id, user_id, template_id, 'release', 'wxpush', 1, message_id FROM v`.execute(db)
    },

    /** Writes off every credit left; returns how many there were. */
    async zeroCredits(
      db: Db,
      p: { userId: string; templateId: string; status?: ConsentStatus; source?: ConsentSource },
    ) {
      const before = await sql<{ credits: number }>`
        SELECT ${CREDITS_LEFT} AS credits FROM consents
         WHERE user_id = ${p.userId} AND template_id = ${p.templateId} FOR UPDATE`.execute(db)
      await sql`UPDATE consents SET used = used + ${CREDITS_LEFT}, updated_at = now()
                  ${p.status ? sql`, status = ${p.status}` : sql``}
                  ${p.source ? sql`, source = ${p.source}` : sql``}
                 WHERE user_id = ${p.userId} AND template_id = ${p.templateId}`.execute(db)
      return before.rows[0]?.credits ?? 0
    },

    async find(db: Db, p: { userId: string; templateId: string }) {
      const r = await sql<{
        credits: number
        long_term_on: boolean
        status: ConsentStatus
        source: ConsentSource
        updated_at: Date
      }>`
        SELECT ${CREDITS_LEFT} AS credits, ${LONG_TERM_ON} AS long_term_on, status, source, updated_at
          FROM consents
         WHERE user_id = ${p.userId} AND template_id = ${p.templateId}`.execute(db)
      return r.rows[0]
    },

    listForUser(db: Db, userId: string) {
      return db
        .selectFrom('consents')
        .leftJoin('templates as t', (j) =>
          j.onRef('t.app_id', '=', 'consents.app_id').onRef('t.id', '=', 'consents.template_id'),
        )
        .leftJoin('subscription_settings as s', 's.user_id', 'consents.user_id')
        .select([
          'consents.template_id',
          sql<number>`${CREDITS_LEFT}`.as('credits'),
          'consents.reported',
          'consents.confirmed',
          'consents.used',
          'consents.status',
          'consents.source',
          'consents.updated_at',
          'consents.unconfirmed_until',
          sql<string | null>`s.item_settings ->> consents.template_id`.as('always'),
          sql<boolean | null>`s.main_switch`.as('main_switch'),
          't.alias',
          't.kind',
          't.title',
        ])
        .where('consents.user_id', '=', userId)
        .orderBy('consents.updated_at', 'desc')
        .execute()
    },

    /** The app's live templates with this user's credits and answer: what GET /v1/me/templates shows. */
    async templatesForUser(db: Db, p: { appId: string; userId: string }) {
      const r = await sql<{
        id: string
        alias: string | null
        kind: 'one_time' | 'long_term'
        title: string
        credits: number | null
        long_term_on: boolean | null
        status: ConsentStatus | null
      }>`
        SELECT t.id, t.alias, t.kind, t.title, ${CREDITS_LEFT} AS credits, ${LONG_TERM_ON} AS long_term_on,
               consents.status
          FROM templates t
          LEFT JOIN consents ON consents.user_id = ${p.userId} AND consents.template_id = t.id
         WHERE t.app_id = ${p.appId} AND t.deleted_at IS NULL
         ORDER BY t.alias NULLS LAST, t.id`.execute(db)
      return r.rows
    },

    /** Which of these ids are live templates of the app, with their kind. */
    async knownTemplates(db: Db, appId: string, ids: string[]) {
      if (ids.length === 0) return new Map<string, 'one_time' | 'long_term'>()
      const rows = await db
        .selectFrom('templates')
        .select(['id', 'kind'])
        .where('app_id', '=', appId)
        .where('id', 'in', ids)
        .where('deleted_at', 'is', null)
        .execute()
      return new Map(rows.map((r) => [r.id, r.kind]))
    },

    findSettings(db: Db, userId: string) {
      return db
        .selectFrom('subscription_settings')
        .selectAll()
        .where('user_id', '=', userId)
        .executeTakeFirst()
    },

    /**
     * Writes what the mini program saw. `itemSettings` replaces the saved choices when given;
     * `mainSwitch` alone keeps them.
     */
    async saveSettings(
      db: Db,
      p: { appId: string; userId: string; mainSwitch: boolean; itemSettings?: ItemSettings },
    ) {
      const items = p.itemSettings === undefined ? null : JSON.stringify(p.itemSettings)
      await sql`
        INSERT INTO subscription_settings (user_id, app_id, main_switch, item_settings)
        VALUES (${p.userId}, ${p.appId}, ${p.mainSwitch}, coalesce(${items}::jsonb, '{}'::jsonb))
        ON CONFLICT (user_id) DO UPDATE
           SET main_switch = excluded.main_switch,
               item_settings = coalesce(${items}::jsonb, subscription_settings.item_settings),
               updated_at = now()`.execute(db)
    },

    /**
     * An accept proves the main switch on and no "always reject" for these templates any more:
     * WeChat would not have answered accept otherwise.
     */
    async acceptSeen(db: Db, p: { userId: string; templateIds: string[] }): Promise<boolean> {
      if (p.templateIds.length === 0) return false
      const r = await sql`
        UPDATE subscription_settings
           SET main_switch = true,
               item_settings = (SELECT coalesce(jsonb_object_agg(k, v), '{}'::jsonb)
                                  FROM jsonb_each(item_settings) AS e(k, v)
                                 WHERE NOT (k = ANY(${p.templateIds}::text[]) AND v #>> '{}' IN ('reject', 'ban'))),
               updated_at = now()
         WHERE user_id = ${p.userId}
           AND (NOT main_switch OR EXISTS (
                 SELECT 1 FROM jsonb_each_text(item_settings) AS e(k, v)
                  WHERE k = ANY(${p.templateIds}::text[]) AND v IN ('reject', 'ban')))`.execute(db)
      return Number(r.numAffectedRows ?? 0) > 0
    },

    async appendEvent(db: Db, e: LedgerEvent) {
      await db
        .insertInto('consent_events')
        .values({
          app_id: e.appId,
          user_id: e.userId,
          template_id: e.templateId,
          action: e.action,
          source: e.source,
          delta: e.delta,
          message_id: e.messageId ?? null,
        })
        .execute()
    },
  }
}

export type ConsentsStore = ReturnType<typeof createConsentsStore>
