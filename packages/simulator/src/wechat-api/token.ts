// GET /cgi-bin/token and POST /cgi-bin/stable_token (docs/wechat.md §1.1, §1.2).
// Classic: every call mints a token; the previous one keeps 5 minutes of grace. Stable: the same
// token while more than 5 minutes are left, a new one in its last 5 minutes; force_refresh mints one
// and kills the previous one at once ("会使上次获取的 access_token 失效": how a leaked token is killed;
// 20 a day, 30 s apart: inside 30 s the current token comes back). The two slots never touch.
// Limits: past the per-minute limit 45011 (a minute class), past a daily one 45009.
import { WECHAT_PATHS } from '../wechat-facts.ts'
import type { FastifyInstance } from 'fastify'
import { beijingDay, minuteOf } from '../clock.ts'
import type { SimContext } from '../context.ts'
import { type App, TOKEN_GRACE_MS, type TokenRecord } from '../world.ts'
import { type Answer, bare, queryOf, readJson, str, wxError, wxErrorText } from './answer.ts'
import { errmsgText } from './errmsg.ts'
import { wechatRoute } from './route.ts'

const SECRET_SHAPE = /^[0-9a-f]{32}$/

const DAILY_TOKEN_HINT =
  ', could get access_token by getStableAccessToken, more details at https://mmbizurl.cn/s/JtxxFh33r'

/** Checks grant_type, appid, secret. A wrong secret of the usual 32-hex shape answers 40001 (the
 * official table), any other wrong secret 40125 `invalid appsecret` (what callers see in practice). */
export function checkCredentials(
  ctx: SimContext,
  input: { grantType: string | undefined; appid: string | undefined; secret: string | undefined },
): { app: App; answer?: undefined } | { app?: undefined; answer: Answer } {
  if (input.appid === undefined || input.appid === '') return { answer: wxError(ctx, 41002) }
  if (input.secret === undefined || input.secret === '') return { answer: wxError(ctx, 41004) }
  if (input.grantType !== 'client_credential') return { answer: wxError(ctx, 40002) }
  const app = ctx.world.apps.get(input.appid)
  if (!app) return { answer: wxError(ctx, 40013) }
  if (input.secret !== app.secret)
    return { answer: wxError(ctx, SECRET_SHAPE.test(input.secret) ? 40001 : 40125) }
  return { app }
}

function supersede(ctx: SimContext, old: TokenRecord | undefined): void {
  if (!old || old.invalidated) return
  const now = ctx.clock.now()
  if (old.expiresAt > now) old.graceUntil = Math.min(old.expiresAt, now + TOKEN_GRACE_MS)
}

function tokenBody(record: TokenRecord, now: number): Answer {
  return bare({ access_token: record.token, expires_in: Math.floor((record.expiresAt - now) / 1000) })
}

function usable(record: TokenRecord | undefined, now: number): record is TokenRecord {
  return (
    record !== undefined && !record.invalidated && record.graceUntil === undefined && record.expiresAt > now
  )
}

export function registerTokenRoutes(ctx: SimContext, fastify: FastifyInstance): void {
  wechatRoute(
    ctx,
    fastify,
    {
      GET: (req) => {
        const q = queryOf(req)
        const cred = checkCredentials(ctx, { grantType: q.grant_type, appid: q.appid, secret: q.secret })
        if (!cred.app) return cred.answer
        const app = cred.app
        const now = ctx.clock.now()
        if (!ctx.world.count(app, 'token.daily', beijingDay(now), ctx.limits.tokenDaily)) {
          return wxErrorText(ctx, 45009, errmsgText(45009) + DAILY_TOKEN_HINT)
        }
        supersede(ctx, app.classic)
        app.classic = ctx.world.mintToken(app, 'classic')
        return tokenBody(app.classic, now)
      },
    },
    WECHAT_PATHS.token,
  )

  wechatRoute(
    ctx,
    fastify,
    {
      POST: (req) => {
        const body = readJson(ctx, req)
        if (!body.ok) return body.answer
        const b = body.value
        const cred = checkCredentials(ctx, {
          grantType: str(b.grant_type),
          appid: str(b.appid),
          secret: str(b.secret),
        })
        if (!cred.app) return cred.answer
        const app = cred.app
        const now = ctx.clock.now()
        if (!ctx.world.count(app, 'stable.minute', minuteOf(now), ctx.limits.stableTokenPerMinute)) {
          return wxError(ctx, 45011)
        }
        if (!ctx.world.count(app, 'stable.daily', beijingDay(now), ctx.limits.stableTokenDaily)) {
          return wxError(ctx, 45009)
        }
        const force = b.force_refresh === true || b.force_refresh === 'true'
        const current = app.stable
        if (force) {
          const last = app.lastForceRefreshAt
          if (last !== undefined && now - last < ctx.limits.stableForceSpacingMs && usable(current, now)) {
            return tokenBody(current, now) // "否则不会刷新": inside 30 s nothing is refreshed
          }
          if (!ctx.world.count(app, 'stable.force', beijingDay(now), ctx.limits.stableForceDaily)) {
            return wxError(ctx, 45009)
          }
          app.lastForceRefreshAt = now
          if (current) current.invalidated = true
          app.stable = ctx.world.mintToken(app, 'stable')
          return tokenBody(app.stable, now)
        }
        if (usable(current, now) && current.expiresAt - now > TOKEN_GRACE_MS) return tokenBody(current, now)
        supersede(ctx, current)
        app.stable = ctx.world.mintToken(app, 'stable')
        return tokenBody(app.stable, now)
      },
      GET: () => wxError(ctx, 43002),
    },
    WECHAT_PATHS.stableToken,
  )
}
