// SQL of the console: operators, sessions and the audit list. The handle comes per call, so any
// method joins a caller's transaction.
import type { ConsoleRole } from '../db/db.schema.ts'
import type { Db } from '../db/db.ts'

export interface AuditEntry {
  username: string
  action: string
  appId?: string | null
  target?: string | null
  detail?: Record<string, unknown>
}

export function createConsoleStore() {
  return {
    findOperator(db: Db, username: string) {
      return db
        .selectFrom('console_operators')
        .selectAll()
        .where('username', '=', username)
        .executeTakeFirst()
    },
    listOperators(db: Db) {
      return db
        .selectFrom('console_operators')
        .select(['username', 'role', 'app_ids', 'created_at'])
        .orderBy('username')
        .execute()
    },
    /** False when the username is taken. */
    async insertOperator(
      db: Db,
      p: { username: string; passwordHash: string; role: ConsoleRole; appIds: string[] },
    ) {
      const r = await db
        .insertInto('console_operators')
        .values({
          username: p.username,
          password_hash: p.passwordHash,
          role: p.role,
          app_ids: JSON.stringify(p.appIds),
        })
        .onConflict((oc) => oc.column('username').doNothing())
        .executeTakeFirst()
      return Number(r.numInsertedOrUpdatedRows ?? 0) === 1
    },
    async updatePassword(db: Db, username: string, passwordHash: string) {
      const r = await db
        .updateTable('console_operators')
        .set({ password_hash: passwordHash, updated_at: new Date() })
        .where('username', '=', username)
        .executeTakeFirst()
      // A new password ends every session of that operator.
      await db.deleteFrom('console_sessions').where('username', '=', username).execute()
      return Number(r.numUpdatedRows) === 1
    },
    async removeOperator(db: Db, username: string) {
      const r = await db.deleteFrom('console_operators').where('username', '=', username).executeTakeFirst()
      return Number(r.numDeletedRows) === 1
    },

    async insertSession(
      db: Db,
      p: { tokenHash: string; username: string; csrfToken: string; expiresAt: Date },
    ) {
      await db
        .insertInto('console_sessions')
        .values({
          token_hash: p.tokenHash,
          username: p.username,
          csrf_token: p.csrfToken,
          expires_at: p.expiresAt,
        })
        .execute()
    },
    findSession(db: Db, tokenHash: string) {
      return db
        .selectFrom('console_sessions as s')
        .innerJoin('console_operators as o', 'o.username', 's.username')
        .select(['s.username', 's.csrf_token', 's.expires_at', 'o.role', 'o.app_ids'])
        .where('s.token_hash', '=', tokenHash)
        .where('s.expires_at', '>', new Date())
        .executeTakeFirst()
    },
    async deleteSession(db: Db, tokenHash: string) {
      await db.deleteFrom('console_sessions').where('token_hash', '=', tokenHash).execute()
    },

    async audit(db: Db, e: AuditEntry) {
      await db
        .insertInto('console_audit')
        .values({
          username: e.username,
          action: e.action,
          app_id: e.appId ?? null,
          target: e.target ?? null,
          detail: JSON.stringify(e.detail ?? {}),
        })
        .execute()
    },
    listAudit(db: Db, p: { appIds: string[] | 'all'; limit: number }) {
      let q = db.selectFrom('console_audit').selectAll()
      if (p.appIds !== 'all') q = q.where('app_id', 'in', p.appIds.length ? p.appIds : [''])
      return q.orderBy('at', 'desc').orderBy('id', 'desc').limit(p.limit).execute()
    },
  }
}

export type ConsoleStore = ReturnType<typeof createConsoleStore>
