// SQL about apps and API keys.
import type { Db } from '../db/db.ts'

export function createAppsStore() {
  return {
    async insertApp(
      db: Db,
      app: { id: string; name: string; secretEnc: string; tokenMode: 'stable' | 'classic' },
    ) {
      const r = await db
        .insertInto('apps')
        .values({ id: app.id, name: app.name, secret_enc: app.secretEnc, token_mode: app.tokenMode })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst()
      return { inserted: Number(r.numInsertedOrUpdatedRows ?? 0) === 1 }
    },
    findApp(db: Db, id: string) {
      return db.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirst()
    },
    listApps(db: Db) {
      return db
        .selectFrom('apps')
        .select(['id', 'name', 'token_mode', 'created_at'])
        .orderBy('created_at')
        .execute()
    },
    async updateSecret(db: Db, id: string, secretEnc: string) {
      await db
        .updateTable('apps')
        .set({ secret_enc: secretEnc, updated_at: new Date() })
        .where('id', '=', id)
        .execute()
    },
    async insertApiKey(
      db: Db,
      key: {
        id: string
        appId: string
        keyHash: string
        prefix: string
        scope: 'app' | 'admin'
      },
    ) {
      await db
        .insertInto('api_keys')
        .values({
          id: key.id,
          app_id: key.appId,
          key_hash: key.keyHash,
          prefix: key.prefix,
          scope: key.scope,
        })
        .execute()
    },
    findLiveApiKey(db: Db, keyHash: string) {
      return db
        .selectFrom('api_keys')
        .select(['id', 'app_id', 'scope', 'last_used_at'])
        .where('key_hash', '=', keyHash)
        .where('revoked_at', 'is', null)
        .executeTakeFirst()
    },
    async touchApiKey(db: Db, id: string) {
      await db.updateTable('api_keys').set({ last_used_at: new Date() }).where('id', '=', id).execute()
    },
    async revokeApiKey(db: Db, appId: string, id: string) {
      const r = await db
        .updateTable('api_keys')
        .set({ revoked_at: new Date() })
        .where('id', '=', id)
        .where('app_id', '=', appId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst()
      return Number(r.numUpdatedRows) === 1
    },
    listApiKeys(db: Db, appId: string) {
      return db
        .selectFrom('api_keys')
        .select(['id', 'prefix', 'scope', 'created_at', 'revoked_at', 'last_used_at'])
        .where('app_id', '=', appId)
        .orderBy('created_at')
        .execute()
    },
  }
}

export type AppsStore = ReturnType<typeof createAppsStore>
