// SQL of the per-app token bucket, shared by every process through one row per app.
import { sql } from 'kysely'
import type { Db } from '../db/db.ts'

export function createRateLimitsStore() {
  return {
    async find(db: Db, appId: string) {
      return db
        .selectFrom('rate_limits')
        .select(['rate_per_s', 'burst'])
        .where('app_id', '=', appId)
        .executeTakeFirst()
    },

    async set(db: Db, p: { appId: string; ratePerS: number; burst: number }) {
      await db
        .insertInto('rate_limits')
        .values({ app_id: p.appId, rate_per_s: p.ratePerS, burst: p.burst, tokens: p.burst })
        .onConflict((oc) =>
          oc
            .column('app_id')
            .doUpdateSet({ rate_per_s: p.ratePerS, burst: p.burst, tokens: p.burst, updated_at: new Date() }),
        )
        .execute()
    },

    async remove(db: Db, appId: string) {
      await db.deleteFrom('rate_limits').where('app_id', '=', appId).execute()
    },

    /**
     * Takes up to `want` tokens: refill for the time elapsed (capped at burst), grant what is whole,
     * keep the fraction. The row lock makes concurrent takers from any process add up exactly.
     */
    async take(db: Db, appId: string, want: number): Promise<number> {
      const r = await sql<{ granted: number }>`
        UPDATE rate_limits r
           SET tokens = s.avail - least(${want}, floor(s.avail)), updated_at = s.at
          FROM (SELECT app_id, clock_timestamp() AS at,
                       least(burst, tokens + extract(epoch FROM clock_timestamp() - updated_at) * rate_per_s) AS avail
                  FROM rate_limits WHERE app_id = ${appId} FOR UPDATE) s
         WHERE r.app_id = s.app_id
        RETURNING least(${want}, floor(s.avail))::int AS granted`.execute(db)
      return r.rows[0]?.granted ?? 0
    },
  }
}

export type RateLimitsStore = ReturnType<typeof createRateLimitsStore>
