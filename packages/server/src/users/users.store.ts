// SQL about users and their sessions.
import type { Db } from '../db/db.ts'
import { newId } from '../ids.ts'

const USER_COLUMNS = ['id', 'app_id', 'openid', 'unionid', 'created_at', 'last_login_at'] as const

export function createUsersStore() {
  return {
    /** Creates the user on first login, else updates unionid, session key and login time. */
    async upsertOnLogin(
      db: Db,
      p: { appId: string; openid: string; unionid: string | null; sessionKeyEnc: string },
    ) {
      return db
        .insertInto('users')
        .values({
          id: newId('usr'),
          app_id: p.appId,
          openid: p.openid,
          unionid: p.unionid,
          session_key_enc: p.sessionKeyEnc,
          last_login_at: new Date(),
        })
        .onConflict((oc) =>
          oc.columns(['app_id', 'openid']).doUpdateSet((eb) => ({
            unionid: eb.fn.coalesce('excluded.unionid', 'users.unionid'),
            session_key_enc: eb.ref('excluded.session_key_enc'),
            last_login_at: eb.ref('excluded.last_login_at'),
          })),
        )
        .returning(USER_COLUMNS)
        .executeTakeFirstOrThrow()
    },
    /** A user known by openid only (e.g. from a WeChat event), created without a login. */
    async ensureByOpenid(db: Db, appId: string, openid: string) {
      await db
        .insertInto('users')
        .values({ id: newId('usr'), app_id: appId, openid, unionid: null, session_key_enc: null })
        .onConflict((oc) => oc.columns(['app_id', 'openid']).doNothing())
        .execute()
      return db
        .selectFrom('users')
        .select(USER_COLUMNS)
        .where('app_id', '=', appId)
        .where('openid', '=', openid)
        .executeTakeFirstOrThrow()
    },
    findById(db: Db, appId: string, id: string) {
      return db
        .selectFrom('users')
        .select(USER_COLUMNS)
        .where('app_id', '=', appId)
        .where('id', '=', id)
        .executeTakeFirst()
    },
    findByOpenid(db: Db, appId: string, openid: string) {
      return db
        .selectFrom('users')
        .select(USER_COLUMNS)
        .where('app_id', '=', appId)
        .where('openid', '=', openid)
        .executeTakeFirst()
    },
    async insertSession(db: Db, p: { tokenHash: string; userId: string; appId: string; expiresAt: Date }) {
      await db
        .insertInto('sessions')
        .values({ token_hash: p.tokenHash, user_id: p.userId, app_id: p.appId, expires_at: p.expiresAt })
        .execute()
    },
    findLiveSession(db: Db, tokenHash: string) {
      return db
        .selectFrom('sessions')
        .select(['user_id', 'app_id', 'expires_at'])
        .where('token_hash', '=', tokenHash)
        .where('expires_at', '>', new Date())
        .executeTakeFirst()
    },
  }
}

export type UsersStore = ReturnType<typeof createUsersStore>
