// SQL of the consent ledger. Writers take `db`, which may be a transaction: the outbox reserves a
// credit and inserts its message in one. Available credits = greatest(reported, confirmed) - used
// (see migrations/0003 for why the two sources are counted apart).
import { sql } from 'kysely'
import type { Db } from '../db/db.ts'
import type { ConsentSource, ConsentStatus } from '../db/db.schema.ts'

/** One-time sends still available: one tap counts once whichever source reported it (see 0003). */
export const CREDITS_LEFT = sql`greatest(reported, confirmed) - used`

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
        RETURNING template_id, greatest(reported, confirmed) - used AS credits, status`.execute(db)
      return r.rows[0]!
    },

    /** Takes one credit if there is one. The UPDATE row-locks: concurrent reservations serialise here. */
    async takeCredit(db: Db, p: { userId: string; templateId: string }) {
      const r = await sql<{ credits: number }>`
        UPDATE consents SET used = used + 1, updated_at = now()
         WHERE user_id = ${p.userId} AND template_id = ${p.templateId}
           AND greatest(reported, confirmed) - used > 0
        RETURNING greatest(reported, confirmed) - used AS credits`.execute(db)
      return r.rows[0]
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
        SELECT greatest(reported, confirmed) - used AS credits FROM consents
         WHERE user_id = ${p.userId} AND template_id = ${p.templateId} FOR UPDATE`.execute(db)
      await sql`UPDATE consents SET used = greatest(reported, confirmed), updated_at = now()
                  ${p.status ? sql`, status = ${p.status}` : sql``}
                  ${p.source ? sql`, source = ${p.source}` : sql``}
                 WHERE user_id = ${p.userId} AND template_id = ${p.templateId}`.execute(db)
      return before.rows[0]?.credits ?? 0
    },

    async find(db: Db, p: { userId: string; templateId: string }) {
      const r = await sql<{
        credits: number
        status: ConsentStatus
        source: ConsentSource
        updated_at: Date
      }>`
        SELECT greatest(reported, confirmed) - used AS credits, status, source, updated_at FROM consents
         WHERE user_id = ${p.userId} AND template_id = ${p.templateId}`.execute(db)
      return r.rows[0]
    },

    listForUser(db: Db, userId: string) {
      return db
        .selectFrom('consents as c')
        .leftJoin('templates as t', (j) =>
          j.onRef('t.app_id', '=', 'c.app_id').onRef('t.id', '=', 'c.template_id'),
        )
        .select([
          'c.template_id',
          sql<number>`greatest(c.reported, c.confirmed) - c.used`.as('credits'),
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
