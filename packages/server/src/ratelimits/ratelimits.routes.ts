// PUT/GET/DELETE /v1/apps/:appId/rate-limit: the app's sends per second, shared by all processes.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { requireAppAdmin } from '../http/auth.ts'
import { MAX_PER_SECOND, MIN_PER_SECOND, type RateLimiter } from './ratelimits.limiter.ts'
import type { RateLimitsStore } from './ratelimits.store.ts'
import type { Db } from '../db/db.ts'
import { doc } from '../http/openapi.ts'

const Params = Type.Object({ appId: Type.String({ minLength: 1, maxLength: 64 }) })
const Body = Type.Object(
  {
    // Bounded: a limit of 1e-300 once made every waiter's timer overflow into a 1 ms busy loop.
    perSecond: Type.Number({ minimum: MIN_PER_SECOND, maximum: MAX_PER_SECOND }),
    burst: Type.Optional(Type.Number({ minimum: 1, maximum: MAX_PER_SECOND })),
  },
  { additionalProperties: false },
)

const Rate = Type.Union([Type.Number(), Type.Null()])
const LimitView = Type.Object({
  perSecond: Rate,
  burst: Rate,
})
const ClearedView = Type.Object({ perSecond: Type.Null() })

export function rateLimitsRoutes(deps: {
  db: Db
  store: RateLimitsStore
  limiter: RateLimiter
  defaultPerS: number
  requireApiKey: (r: FastifyRequest) => Promise<void>
}) {
  const own = (request: FastifyRequest<{ Params: Static<typeof Params> }>) =>
    requireAppAdmin(request, request.params.appId)
  return async function (app: FastifyInstance) {
    app.addHook('preValidation', deps.requireApiKey)

    app.put<{ Params: Static<typeof Params>; Body: Static<typeof Body> }>(
      '/v1/apps/:appId/rate-limit',
      {
        schema: {
          ...doc({
            tag: 'apps',
            auth: 'appAdminKey',
            zh: '设置应用每秒发送数（所有进程共享）',
            en: 'Set the app’s sends per second (shared by all processes)',
          }),
          params: Params,
          body: Body,
          response: { 200: LimitView },
        },
      },
      async (request) => {
        const appId = own(request)
        // One second's worth of burst by default: a full bucket never sends more than a second early.
        const burst = request.body.burst ?? Math.max(1, request.body.perSecond)
        await deps.store.set(deps.db, { appId, ratePerS: request.body.perSecond, burst })
        deps.limiter.forget(appId)
        return { perSecond: request.body.perSecond, burst }
      },
    )

    app.get<{ Params: Static<typeof Params> }>(
      '/v1/apps/:appId/rate-limit',
      {
        schema: {
          ...doc({
            tag: 'apps',
            auth: 'appAdminKey',
            zh: '查询限速（null：不限）',
            en: 'The rate limit (null: none)',
          }),
          params: Params,
          response: { 200: LimitView },
        },
      },
      async (request) => {
        const row = await deps.store.find(deps.db, own(request))
        if (row) return { perSecond: row.rate_per_s, burst: row.burst }
        return deps.defaultPerS > 0
          ? { perSecond: deps.defaultPerS, burst: deps.defaultPerS }
          : { perSecond: null, burst: null }
      },
    )

    app.delete<{ Params: Static<typeof Params> }>(
      '/v1/apps/:appId/rate-limit',
      {
        schema: {
          ...doc({ tag: 'apps', auth: 'appAdminKey', zh: '取消限速', en: 'Remove the rate limit' }),
          params: Params,
          response: { 200: ClearedView },
        },
      },
      async (request) => {
        const appId = own(request)
        await deps.store.remove(deps.db, appId)
        deps.limiter.forget(appId)
        return { perSecond: null }
      },
    )
  }
}
