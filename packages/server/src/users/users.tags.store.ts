// SQL of user tags ("meeting-42"): what a backend marks its users with, and the users of a tag.
// Writers take `db`, which may be a transaction.
import type { Db } from '../db/db.ts'

export function createTagsStore() {
  async function tagsOf(db: Db, userIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>()
    if (userIds.length === 0) return out
    const rows = await db
      .selectFrom('user_tags')
      .select(['user_id', 'tag'])
      .where('user_id', 'in', userIds)
      .orderBy('user_id')
      .orderBy('tag')
      .execute()
    for (const r of rows) out.set(r.user_id, [...(out.get(r.user_id) ?? []), r.tag])
    return out
  }

  return {
    tagsOf,

    /** Adds and removes tags of one user; answers the user's tags afterwards, sorted. */
    async change(db: Db, p: { appId: string; userId: string; add: string[]; remove: string[] }) {
      if (p.remove.length > 0) {
        await db
          .deleteFrom('user_tags')
          .where('user_id', '=', p.userId)
          .where('tag', 'in', p.remove)
          .execute()
      }
      if (p.add.length > 0) {
        await db
          .insertInto('user_tags')
          .values([...new Set(p.add)].map((tag) => ({ user_id: p.userId, app_id: p.appId, tag })))
          .onConflict((oc) => oc.columns(['user_id', 'tag']).doNothing())
          .execute()
      }
      return (await tagsOf(db, [p.userId])).get(p.userId) ?? []
    },

    /** The users carrying `tag`, in id order after `after` (keyset paging). */
    usersWithTag(db: Db, p: { appId: string; tag: string; after?: string | undefined; limit: number }) {
      let q = db
        .selectFrom('user_tags as t')
        .innerJoin('users as u', 'u.id', 't.user_id')
        .select(['u.id', 'u.app_id', 'u.openid', 'u.unionid', 'u.created_at', 'u.last_login_at'])
        .where('t.app_id', '=', p.appId)
        .where('t.tag', '=', p.tag)
      if (p.after) q = q.where('t.user_id', '>', p.after)
      return q.orderBy('t.user_id').limit(p.limit).execute()
    },

    async exists(db: Db, p: { appId: string; tag: string }) {
      const r = await db
        .selectFrom('user_tags')
        .select('user_id')
        .where('app_id', '=', p.appId)
        .where('tag', '=', p.tag)
        .limit(1)
        .executeTakeFirst()
      return r !== undefined
    },
  }
}

export type TagsStore = ReturnType<typeof createTagsStore>

/** 1–64 letters, digits or `-_.:` (issue 12). */
export const TAG_PATTERN = /^[A-Za-z0-9\-_.:]{1,64}$/
