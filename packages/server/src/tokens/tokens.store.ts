// SQL about the shared access_token, one row per app.
import { sql } from 'kysely'
import type { Db } from '../db/db.ts'

export function createTokensStore() {
  return {
    read(db: Db, appId: string) {
      return db
        .selectFrom('access_tokens')
        .select([
          'token_enc',
          'token_hash',
          'expires_at',
          'refreshing_until',
          'refreshes',
          'refused_secret_hash',
          'refused_errcode',
          'refused_at',
        ])
        .where('app_id', '=', appId)
        .executeTakeFirst()
    },

    /**
     * Takes the refresh lease when nobody holds it and the stored token still needs replacing:
     * missing, expiring within `aheadMs`, or the very token that just failed (`failedHash`).
     * A conditional UPDATE is atomic under READ COMMITTED: of N racing processes exactly one wins.
     */
    async tryLease(
      db: Db,
      p: { appId: string; leaseMs: number; aheadMs: number; failedHash: string | null },
    ) {
      await db
        .insertInto('access_tokens')
        .values({ app_id: p.appId })
        .onConflict((oc) => oc.column('app_id').doNothing())
        .execute()
      const r = await sql<{ app_id: string }>`
        UPDATE access_tokens
           SET refreshing_until = now() + make_interval(secs => ${p.leaseMs / 1000})
         WHERE app_id = ${p.appId}
           AND (refreshing_until IS NULL OR refreshing_until < now())
           AND (token_hash IS NULL
                OR expires_at < now() + make_interval(secs => ${p.aheadMs / 1000})
                OR token_hash = ${p.failedHash})
        RETURNING app_id`.execute(db)
      return r.rows.length === 1
    },

    async store(db: Db, p: { appId: string; tokenEnc: string; tokenHash: string; expiresAt: Date }) {
      await db
        .updateTable('access_tokens')
        .set((eb) => ({
          token_enc: p.tokenEnc,
          token_hash: p.tokenHash,
          expires_at: p.expiresAt,
          fetched_at: new Date(),
          refreshing_until: null,
          refreshes: eb('refreshes', '+', 1),
          refused_secret_hash: null,
          refused_errcode: null,
          refused_at: null,
        }))
        .where('app_id', '=', p.appId)
        .execute()
    },

    /** WeChat refused this secret on a token endpoint: remember it (and give the lease back). */
    async markRefused(db: Db, p: { appId: string; secretHash: string; errcode: number }) {
      await db
        .updateTable('access_tokens')
        .set({
          refused_secret_hash: p.secretHash,
          refused_errcode: p.errcode,
          refused_at: new Date(),
          refreshing_until: null,
        })
        .where('app_id', '=', p.appId)
        .execute()
    },

    /** The apps with a refused secret on record (it may have been rotated since). */
    listRefused(db: Db) {
      return db
        .selectFrom('access_tokens')
        .select(['app_id', 'refused_secret_hash', 'refused_errcode', 'refused_at'])
        .where('refused_secret_hash', 'is not', null)
        .execute()
    },

    async releaseLease(db: Db, appId: string) {
      await db
        .updateTable('access_tokens')
        .set({ refreshing_until: null })
        .where('app_id', '=', appId)
        .execute()
    },
  }
}

export type TokensStore = ReturnType<typeof createTokensStore>
