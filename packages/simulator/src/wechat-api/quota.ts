// POST /cgi-bin/openapi/quota/get (docs/wechat.md §9): the daily limit and use for the paths
// the simulator counts. `/sns/*` paths answer 76022; a path without a leading `/` 76003; an unknown
// one 76021.
import type { FastifyInstance } from 'fastify'
import { WECHAT_PATHS } from '../wechat-facts.ts'
import { beijingDay } from '../clock.ts'
import type { SimContext } from '../context.ts'
import { ok, readJson, str, wxErrorText } from './answer.ts'
import { authedRoute } from './route.ts'

export function registerQuotaRoutes(ctx: SimContext, fastify: FastifyInstance): void {
  const counted: Record<string, { counter: string; limit: () => number }> = {
    [WECHAT_PATHS.token]: { counter: 'token.daily', limit: () => ctx.limits.tokenDaily },
    [WECHAT_PATHS.stableToken]: { counter: 'stable.daily', limit: () => ctx.limits.stableTokenDaily },
    [WECHAT_PATHS.subscribeSend]: { counter: 'subscribe.daily', limit: () => ctx.limits.subscribeSendDaily },
  }
  authedRoute(ctx, fastify, 'POST', '/cgi-bin/openapi/quota/get', (req, app) => {
    const body = readJson(ctx, req)
    if (!body.ok) return body.answer
    const path = str(body.value.cgi_path) ?? ''
    if (!path.startsWith('/')) return wxErrorText(ctx, 76003, 'cgi_path format invalid')
    if (path.startsWith('/sns/')) return wxErrorText(ctx, 76022, 'could not use this cgi_path, no permission')
    const entry = counted[path]
    if (!entry) return wxErrorText(ctx, 76021, 'cgi_path not found, please check')
    const c = app.counters.get(entry.counter)
    const used = c && c.window === beijingDay(ctx.clock.now()) ? Math.min(c.n, entry.limit()) : 0
    return ok({ quota: { daily_limit: entry.limit(), used, remain: entry.limit() - used } })
  })
}
