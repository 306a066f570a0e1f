// SQL of the consent ledger. Every method takes `db`, which may be a transaction. Credits are
// CREDITS_LEFT (consents.credits.ts); a credit is taken by the outbox's enqueue statement through
// consentGate, in the same statement that writes the message.
import { sql } from 'kysely'
import type { Db } from '../db/db.ts'
import type { ConsentSource, ConsentStatus } from '../db/db.schema.ts'
import { CREDITS_LEFT } from './consents.credits.ts'

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
}

export function createConsentsStore() {
  return {
    async addAnswer(
      db: Db,
      p: {
        appId: string
        userId: string
        templateId: string
        status: ConsentStatus
        source: ConsentSource
        accept: boolean
      },
    ): Promise<ConsentRow> {
      const column = p.source === 'wechat' ? 'confirmed' : 'reported'
      const inc = p.accept ? 1 : 0
      const r = await sql<ConsentRow>`
        INSERT INTO consents (app_id, user_id, template_id, ${sql.ref(column)}, status, source)
        VALUES (${p.appId}, ${p.userId}, ${p.templateId}, ${inc}, ${p.status}, ${p.source})
        ON CONFLICT (user_id, template_id) DO UPDATE
           SET ${sql.ref(column)} = consents.${sql.ref(column)} + ${inc},
               status = excluded.status, source = excluded.source, updated_at = now()
        RETURNING template_id, ${CREDITS_LEFT} AS credits, status`.execute(db)
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

    listForUser(db: Db, userId: string) {
      return db
        .selectFrom('consents as c')
        .leftJoin('templates as t', (j) =>
          j.onRef('t.app_id', '=', 'c.app_id').onRef('t.id', '=', 'c.template_id'),
        )
        .select([
          'c.template_id',
          CREDITS_LEFT.as('credits'),
          'c.reported',
          'c.confirmed',
          'c.used',
          'c.status',
          'c.source',
          'c.updated_at',
          't.alias',
          't.kind',
          't.title',
        ])
        .where('c.user_id', '=', userId)
        .orderBy('c.updated_at', 'desc')
        .execute()
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
