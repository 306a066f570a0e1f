// SQL about the template registry.
import type { Db } from '../db/db.ts'
import type { TemplateKeyword } from '../db/db.schema.ts'

export interface TemplateRow {
  appId: string
  id: string
  alias: string | null
  title: string
  kind: 'one_time' | 'long_term'
  content: string
  example: string
  keywords: TemplateKeyword[]
  syncedAt: Date
}

export function createTemplatesStore() {
  const live = (db: Db) =>
    db
      .selectFrom('templates')
      .select(['app_id', 'id', 'alias', 'title', 'kind', 'content', 'example', 'keywords', 'synced_at'])
      .where('deleted_at', 'is', null)

  const toRow = (
    r: Awaited<ReturnType<ReturnType<typeof live>['executeTakeFirstOrThrow']>>,
  ): TemplateRow => ({
    appId: r.app_id,
    id: r.id,
    alias: r.alias,
    title: r.title,
    kind: r.kind,
    content: r.content,
    example: r.example,
    keywords: r.keywords,
    syncedAt: r.synced_at,
  })

  return {
    async upsert(db: Db, t: Omit<TemplateRow, 'alias' | 'syncedAt'>) {
      await db
        .insertInto('templates')
        .values({
          app_id: t.appId,
          id: t.id,
          title: t.title,
          kind: t.kind,
          content: t.content,
          example: t.example,
          keywords: JSON.stringify(t.keywords),
        })
        .onConflict((oc) =>
          oc.columns(['app_id', 'id']).doUpdateSet((eb) => ({
            title: eb.ref('excluded.title'),
            kind: eb.ref('excluded.kind'),
            content: eb.ref('excluded.content'),
            example: eb.ref('excluded.example'),
            keywords: eb.ref('excluded.keywords'),
            synced_at: new Date(),
            deleted_at: null,
          })),
        )
        .execute()
    },
    /** Templates WeChat no longer lists are marked deleted, not dropped: old messages refer to them. */
    async markMissingDeleted(db: Db, appId: string, keepIds: string[]) {
      let q = db
        .updateTable('templates')
        .set({ deleted_at: new Date() })
        .where('app_id', '=', appId)
        .where('deleted_at', 'is', null)
      if (keepIds.length > 0) q = q.where('id', 'not in', keepIds)
      const r = await q.executeTakeFirst()
      return Number(r.numUpdatedRows)
    },
    async findByAliasOrId(db: Db, appId: string, ref: string) {
      const r = await live(db)
        .where('app_id', '=', appId)
        .where((eb) => eb.or([eb('id', '=', ref), eb('alias', '=', ref)]))
        .executeTakeFirst()
      return r ? toRow(r) : undefined
    },
    async list(db: Db, appId: string) {
      return (await live(db).where('app_id', '=', appId).orderBy('title').execute()).map(toRow)
    },
    /** After deltemplate: kept for the messages that refer to it, gone from the registry. */
    async markDeleted(db: Db, appId: string, id: string) {
      const r = await db
        .updateTable('templates')
        .set({ deleted_at: new Date() })
        .where('app_id', '=', appId)
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .executeTakeFirst()
      return Number(r.numUpdatedRows) === 1
    },
    /** Throws Postgres' unique_violation (23505) when a live template holds the alias already. */
    async setAlias(db: Db, appId: string, id: string, alias: string | null) {
      // A deleted template keeps its alias until another template takes it: the usual way to
      // replace a template is delete + add under the same alias.
      if (alias !== null) {
        await db
          .updateTable('templates')
          .set({ alias: null })
          .where('app_id', '=', appId)
          .where('alias', '=', alias)
          .where('deleted_at', 'is not', null)
          .execute()
      }
      const r = await db
        .updateTable('templates')
        .set({ alias })
        .where('app_id', '=', appId)
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .executeTakeFirst()
      return Number(r.numUpdatedRows) === 1
    },
  }
}

export type TemplatesStore = ReturnType<typeof createTemplatesStore>
