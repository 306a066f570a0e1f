// GET /sns/jscode2session (docs/wechat.md §2). Codes come from
// `POST /control/apps/:appid/users/:openid/login`, are single use and live 5 minutes.
// Success has no errcode: `{session_key, openid, unionid?}`.
import { WECHAT_PATHS } from '../wechat-facts.ts'
import type { FastifyInstance } from 'fastify'
import { minuteOf } from '../clock.ts'
import type { SimContext } from '../context.ts'
import { bare, queryOf, wxError } from './answer.ts'
import { wechatRoute } from './route.ts'

export function registerLoginRoutes(ctx: SimContext, fastify: FastifyInstance): void {
  wechatRoute(
    ctx,
    fastify,
    {
      GET: (req) => {
        const q = queryOf(req)
        if (!q.appid) return wxError(ctx, 41002)
        if (!q.secret) return wxError(ctx, 41004)
        if (!q.js_code) return wxError(ctx, 41008)
        if (q.grant_type !== 'authorization_code') return wxError(ctx, 40002)
        const app = ctx.world.apps.get(q.appid)
        if (!app) return wxError(ctx, 40013)
        if (q.secret !== app.secret) return wxError(ctx, 40125)
        const code = ctx.world.codes.get(q.js_code)
        if (!code || code.appid !== app.appid) return wxError(ctx, 40029)
        const user = app.users.get(code.openid)
        if (!user) return wxError(ctx, 40029)
        const now = ctx.clock.now()
        const minute = minuteOf(now)
        if (user.loginMinute !== minute) {
          user.loginMinute = minute
          user.loginsThisMinute = 0
        }
        if (++user.loginsThisMinute > ctx.limits.loginPerUserPerMinute) return wxError(ctx, 45011)
        if (code.used) return wxError(ctx, 40163)
        if (now >= code.expiresAt) {
          ctx.world.codes.delete(code.code)
          return wxError(ctx, 40029)
        }
        if (user.highRisk) return wxError(ctx, 40226)
        code.used = true
        return bare(
          app.withUnionid
            ? { session_key: user.sessionKey, openid: user.openid, unionid: user.unionid }
            : { session_key: user.sessionKey, openid: user.openid },
        )
      },
      // "Also seen when jscode2session is sent as POST": the query is not read, so appid is missing.
      POST: () => wxError(ctx, 41002),
    },
    WECHAT_PATHS.jscode2session,
  )
}
