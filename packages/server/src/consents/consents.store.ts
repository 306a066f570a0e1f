// SQL of the consent ledger. Writers take `db`, which may be a transaction: the outbox reserves a
// credit and inserts its message in one.
import { sql } from 'kysely'
import type { Db } from '../db/db.ts'
import type { ConsentSource, ConsentStatus } from '../db/db.schema.ts'

export interface LedgerEvent {
  appId: string
  userId: string
  templateId: string
  action: string
  source: string
  delta: number
  messageId?: string | null
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
        credit: number
      },
    ) {
      const r = await db
        .insertInto('consents')
        .values({
          app_id: p.appId,
          user_id: p.userId,
          template_id: p.templateId,
          credits: p.credit,
          status: p.status,
          source: p.source,
        })
        .onConflict((oc) =>
          oc.columns(['user_id', 'template_id']).doUpdateSet((eb) => ({
            credits: eb('consents.credits', '+', p.credit),
            status: p.status,
            source: p.source,
            updated_at: new Date(),
          })),
        )
        .returning(['template_id', 'credits', 'status'])
        .executeTakeFirstOrThrow()
      return r
    },

    /** Takes one credit if there is one. Row-locked by the UPDATE: concurrent reservations serialise here. */
    async takeCredit(db: Db, p: { userId: string; templateId: string }) {
      const r = await sql<{ credits: number }>`
        UPDATE consents SET credits = credits - 1, updated_at = now()
         WHERE user_id = ${p.userId} AND template_id = ${p.templateId} AND credits > 0
        RETURNING credits`.execute(db)
      return r.rows[0]
    },

    async giveCredit(db: Db, p: { userId: string; templateId: string }) {
      await sql`UPDATE consents SET credits = credits + 1, updated_at = now()
                 WHERE user_id = ${p.userId} AND template_id = ${p.templateId}`.execute(db)
    },

    async zeroCredits(db: Db, p: { userId: string; templateId: string }) {
      const r = await sql<{ before: number }>`
        UPDATE consents c SET credits = 0, updated_at = now()
          FROM (SELECT credits AS before FROM consents WHERE user_id = ${p.userId} AND template_id = ${p.templateId} FOR UPDATE) b
         WHERE c.user_id = ${p.userId} AND c.template_id = ${p.templateId}
        RETURNING b.before`.execute(db)
      return r.rows[0]?.before ?? 0
    },

    find(db: Db, p: { userId: string; templateId: string }) {
      return db
        .selectFrom('consents')
        .select(['credits', 'status', 'source', 'updated_at'])
        .where('user_id', '=', p.userId)
        .where('template_id', '=', p.templateId)
        .executeTakeFirst()
    },

    listForUser(db: Db, userId: string) {
      return db
        .selectFrom('consents as c')
        .leftJoin('templates as t', (j) =>
          j.onRef('t.app_id', '=', 'c.app_id').onRef('t.id', '=', 'c.template_id'),
        )
        .select([
          'c.template_id',
          'c.credits',
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
