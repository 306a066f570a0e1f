// Images for customer-service messages (the media table): stored once per app and content, and the
// WeChat media_id they were last uploaded under. Every method takes the Db per call.
import type { Db } from '../db/db.ts'

export function createMediaStore() {
  return {
    /** Stores the image, or finds the same bytes stored before; answers its id. */
    async put(db: Db, m: { id: string; appId: string; contentType: string; bytes: Buffer; sha256: string }) {
      const row = await db
        .insertInto('media')
        .values({
          id: m.id,
          app_id: m.appId,
          content_type: m.contentType,
          bytes: m.bytes,
          size: m.bytes.length,
          sha256: m.sha256,
        })
        .onConflict((oc) => oc.columns(['app_id', 'sha256']).doUpdateSet({ sha256: m.sha256 }))
        .returning(['id', 'content_type', 'size', 'created_at'])
        .executeTakeFirstOrThrow()
      return row
    },

    find(db: Db, appId: string, id: string) {
      return db
        .selectFrom('media')
        .selectAll()
        .where('app_id', '=', appId)
        .where('id', '=', id)
        .executeTakeFirst()
    },

    exists(db: Db, appId: string, id: string) {
      return db
        .selectFrom('media')
        .select('id')
        .where('app_id', '=', appId)
        .where('id', '=', id)
        .executeTakeFirst()
    },

    recordUpload(db: Db, id: string, wechatMediaId: string, uploadedAt: Date) {
      return db
        .updateTable('media')
        .set({ wechat_media_id: wechatMediaId, uploaded_at: uploadedAt })
        .where('id', '=', id)
        .execute()
    },
  }
}

export type MediaStore = ReturnType<typeof createMediaStore>
