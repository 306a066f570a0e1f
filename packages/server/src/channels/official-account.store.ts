// The linked official account (migration 0016): the link with its sealed secret and token, the
// followers by unionid, and the fallback message row (channel 'official_account'). SQL only; every
// method takes the Db per call.
import { sql } from 'kysely'
import type { Db } from '../db/db.ts'

export interface FollowerRow {
  unionid: string
  openid: string
  following: boolean
}

export interface NewOfficialAccountMessage {
  id: string
  appId: string
  userId: string
  /** The follower's openid in the official account: the touser. */
  openid: string
  templateId: string
  data: Record<string, string>
  /** What the template message carries besides data: url, miniprogram {appid, pagepath}. */
  content: Record<string, unknown>
  idempotencyKey: string | null
  now: Date
}

export function createOfficialAccountStore() {
  return {
    async link(db: Db, p: { appId: string; oaAppid: string; secretEnc: string; tokenEnc: string }) {
      await db
        .insertInto('official_accounts')
        .values({ app_id: p.appId, oa_appid: p.oaAppid, secret_enc: p.secretEnc, token_enc: p.tokenEnc })
        .onConflict((oc) =>
          oc.column('app_id').doUpdateSet({
            oa_appid: p.oaAppid,
            secret_enc: p.secretEnc,
            token_enc: p.tokenEnc,
            followers_synced_at: null,
            updated_at: new Date(),
          }),
        )
        .execute()
    },

    find(db: Db, appId: string) {
      return db.selectFrom('official_accounts').selectAll().where('app_id', '=', appId).executeTakeFirst()
    },

    async unlink(db: Db, appId: string): Promise<boolean> {
      await db.deleteFrom('official_account_followers').where('app_id', '=', appId).execute()
      const r = await db.deleteFrom('official_accounts').where('app_id', '=', appId).executeTakeFirst()
      return Number(r.numDeletedRows) > 0
    },

    /**
     * One sync's result: every follower read now is written; every other known unionid is marked as
     * not following (it was not in the list).
     */
    async replaceFollowers(db: Db, p: { appId: string; followers: FollowerRow[]; at: Date }) {
      await db
        .updateTable('official_account_followers')
        .set({ following: false, checked_at: p.at })
        .where('app_id', '=', p.appId)
        .execute()
      for (let i = 0; i < p.followers.length; i += 500) {
        const chunk = p.followers.slice(i, i + 500)
        await db
          .insertInto('official_account_followers')
          .values(chunk.map((f) => ({ app_id: p.appId, ...f, checked_at: p.at })))
          .onConflict((oc) =>
            oc.columns(['app_id', 'unionid']).doUpdateSet((eb) => ({
              openid: eb.ref('excluded.openid'),
              following: eb.ref('excluded.following'),
              checked_at: eb.ref('excluded.checked_at'),
            })),
          )
          .execute()
      }
      await db
        .updateTable('official_accounts')
        .set({ followers_synced_at: p.at, updated_at: p.at })
        .where('app_id', '=', p.appId)
        .execute()
    },

    /** The user (by id or openid) with their unionid and the follower row it matches, if any. */
    userWithFollower(db: Db, p: { appId: string; recipient: { openid: string } | { userId: string } }) {
      return db
        .selectFrom('users as u')
        .leftJoin('official_account_followers as f', (j) =>
          j.onRef('f.app_id', '=', 'u.app_id').onRef('f.unionid', '=', 'u.unionid'),
        )
        .select([
          'u.id as userId',
          'u.unionid',
          'f.openid as followerOpenid',
          'f.following',
          'f.checked_at as checkedAt',
        ])
        .where('u.app_id', '=', p.appId)
        .where((eb) =>
          'openid' in p.recipient
            ? eb('u.openid', '=', p.recipient.openid)
            : eb('u.id', '=', p.recipient.userId),
        )
        .executeTakeFirst()
    },

    /** Writes the queued fallback message; false when the idempotency key is already used. */
    async enqueue(db: Db, m: NewOfficialAccountMessage): Promise<boolean> {
      const r = await sql<{ id: string }>`
        INSERT INTO messages (id, app_id, user_id, openid, template_id, template_kind, data, channel, content,
                              status, run_at, idempotency_key, credit_reserved, created_at)
        VALUES (${m.id}, ${m.appId}, ${m.userId}, ${m.openid}, ${m.templateId}, 'none',
                ${JSON.stringify(m.data)}::jsonb, 'official_account', ${JSON.stringify(m.content)}::jsonb,
                'queued', ${m.now}, ${m.idempotencyKey}::text, false, ${m.now})
        ON CONFLICT (app_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
        RETURNING id`.execute(db)
      return r.rows.length > 0
    },
  }
}

export type OfficialAccountStore = ReturnType<typeof createOfficialAccountStore>
