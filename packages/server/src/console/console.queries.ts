// Read-only queries behind the console's Users and Dashboard pages. The handle comes per call.
import { describeErrcode } from '@wxpush/wechat'
import { sql } from 'kysely'
import type { Db } from '../db/db.ts'

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString())

/** Users of an app whose openid, userId or unionid starts with `q` (all, newest first, when empty). */
export async function searchUsers(db: Db, p: { appId: string; q: string; limit: number }) {
  let query = db
    .selectFrom('users')
    .select(['id', 'openid', 'unionid', 'created_at', 'last_login_at'])
    .where('app_id', '=', p.appId)
  const q = p.q.trim()
  if (q) {
    const like = `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    query = query.where((eb) =>
      eb.or([eb('openid', 'like', like), eb('id', 'like', like), eb('unionid', 'like', like)]),
    )
  }
  const rows = await query.orderBy('created_at', 'desc').limit(p.limit).execute()
  return rows.map((u) => ({
    userId: u.id,
    openid: u.openid,
    unionid: u.unionid,
    createdAt: iso(u.created_at),
    lastLoginAt: iso(u.last_login_at),
  }))
}

export async function dashboard(db: Db, appId: string) {
  const perHour = await sql<{ hour: Date; status: string; n: string }>`
    SELECT date_trunc('hour', created_at) AS hour, status, count(*) AS n FROM messages
     WHERE app_id = ${appId} AND created_at > now() - interval '24 hours'
     GROUP BY 1, 2 ORDER BY 1`.execute(db)
  const failures = await sql<{ reason: string | null; errcode: number | null; n: string }>`
    SELECT reason, errcode, count(*) AS n FROM messages
     WHERE app_id = ${appId} AND status = 'failed' AND created_at > now() - interval '7 days'
     GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 10`.execute(db)
  const queue = await sql<{ depth: string; oldest: Date | null }>`
    SELECT count(*) AS depth, min(created_at) AS oldest FROM messages
     WHERE app_id = ${appId} AND status IN ('queued', 'sending')`.execute(db)
  const consent = await sql<{
    template_id: string
    title: string | null
    accepted: string
    answered: string
  }>`
    SELECT e.template_id, t.title, count(*) FILTER (WHERE e.action = 'accept') AS accepted, count(*) AS answered
      FROM consent_events e
      LEFT JOIN templates t ON t.app_id = e.app_id AND t.id = e.template_id
     WHERE e.app_id = ${appId} AND e.action IN ('accept', 'reject', 'ban', 'filter')
     GROUP BY 1, 2 ORDER BY 4 DESC LIMIT 20`.execute(db)
  const token = await db
    .selectFrom('access_tokens')
    .select(['expires_at', 'fetched_at', 'refreshes'])
    .where('app_id', '=', appId)
    .executeTakeFirst()
  const q = queue.rows[0]
  return {
    perHour: perHour.rows.map((r) => ({ hour: iso(r.hour), status: r.status, count: Number(r.n) })),
    topFailures: failures.rows.map((r) => {
      const info = r.errcode === null ? null : describeErrcode(r.errcode)
      return {
        reason: r.reason,
        errcode: r.errcode,
        count: Number(r.n),
        ...(info ? { zh: info.zh, en: info.en } : {}),
      }
    }),
    queue: { depth: Number(q?.depth ?? 0), oldestAt: iso(q?.oldest ?? null) },
    consent: consent.rows.map((r) => ({
      templateId: r.template_id,
      title: r.title,
      accepted: Number(r.accepted),
      answered: Number(r.answered),
    })),
    token: token
      ? { expiresAt: iso(token.expires_at), fetchedAt: iso(token.fetched_at), refreshes: token.refreshes }
      : null,
  }
}
