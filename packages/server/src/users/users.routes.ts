// POST /v1/auth/login (mini program), GET /v1/users/:id, GET /v1/users?openid=, GET /v1/users/:id/consents.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import type { Ledger } from '../consents/consents.ledger.ts'
import type { Db } from '../db/db.ts'
import { appOf } from '../http/auth.ts'
import { loginTooFrequent, userNotFound } from './users.errors.ts'
import type { Login } from './users.login.ts'
import type { UsersStore } from './users.store.ts'

const LoginBody = Type.Object(
  {
    appId: Type.String({ minLength: 1, maxLength: 64 }),
    code: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
)
const UserParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })
const UserQuery = Type.Object({ openid: Type.String({ minLength: 1, maxLength: 128 }) })

type UserRow = NonNullable<Awaited<ReturnType<UsersStore['findById']>>>
const present = (u: UserRow) => ({
  id: u.id,
  openid: u.openid,
  ...(u.unionid ? { unionid: u.unionid } : {}),
  createdAt: u.created_at.toISOString(),
  lastLoginAt: u.last_login_at?.toISOString() ?? null,
})

/** A fixed-window counter per client address; enough to blunt code-guessing and login storms. */
function createLoginLimiter(perMinute: number) {
  const windows = new Map<string, { start: number; count: number }>()
  return (address: string) => {
    const now = Date.now()
    const w = windows.get(address)
    if (!w || now - w.start >= 60_000) {
      if (windows.size > 50_000) windows.clear()
      windows.set(address, { start: now, count: 1 })
      return
    }
    if (++w.count > perMinute)
      throw loginTooFrequent({ retryAfterS: Math.ceil((w.start + 60_000 - now) / 1000) })
  }
}

export function usersRoutes(deps: {
  db: Db
  login: Login
  store: UsersStore
  ledger: Ledger
  loginRatePerMin: number
  requireApiKey: (r: FastifyRequest) => Promise<void>
}) {
  const limit = createLoginLimiter(deps.loginRatePerMin)
  return async function (app: FastifyInstance) {
    app.post<{ Body: Static<typeof LoginBody> }>(
      '/v1/auth/login',
      { schema: { body: LoginBody } },
      async (request) => {
        limit(request.ip)
        const s = await deps.login.login(request.body)
        return { token: s.token, userId: s.userId, openid: s.openid, expiresAt: s.expiresAt.toISOString() }
      },
    )

    app.register(async (keyed) => {
      keyed.addHook('preValidation', deps.requireApiKey)

      keyed.get<{ Params: Static<typeof UserParams> }>(
        '/v1/users/:id',
        { schema: { params: UserParams } },
        async (request) => {
          const u = await deps.store.findById(deps.db, appOf(request), request.params.id)
          if (!u) throw userNotFound({ id: request.params.id })
          const settings = await deps.ledger.findSettings(deps.db, u.id)
          return {
            ...present(u),
            // What the mini program last saw in wx.getSetting({withSubscriptions: true}); null: never reported.
            subscriptions: settings
              ? {
                  mainSwitch: settings.main_switch,
                  itemSettings: settings.item_settings,
                  updatedAt: settings.updated_at.toISOString(),
                }
              : null,
          }
        },
      )

      keyed.get<{ Querystring: Static<typeof UserQuery> }>(
        '/v1/users',
        { schema: { querystring: UserQuery } },
        async (request) => {
          const u = await deps.store.findByOpenid(deps.db, appOf(request), request.query.openid)
          if (!u) throw userNotFound({ openid: request.query.openid })
          return present(u)
        },
      )

      keyed.get<{ Params: Static<typeof UserParams> }>(
        '/v1/users/:id/consents',
        { schema: { params: UserParams } },
        async (request) => {
          const u = await deps.store.findById(deps.db, appOf(request), request.params.id)
          if (!u) throw userNotFound({ id: request.params.id })
          const rows = await deps.ledger.listForUser(deps.db, u.id)
          return rows.map((c) => ({
            template: c.template_id,
            ...(c.alias ? { alias: c.alias } : {}),
            ...(c.title ? { title: c.title } : {}),
            kind: c.kind ?? 'one_time',
            credits: c.credits,
            // The two sources apart: accepts the mini program reported, accepts WeChat's events
            // confirmed, and credits used by messages (see migrations/0003).
            reported: c.reported,
            confirmed: c.confirmed,
            used: c.used,
            status: c.status,
            source: c.source,
            updatedAt: c.updated_at.toISOString(),
            // Set while reported accepts wait for WeChat's popup event (migrations/0010).
            unconfirmedUntil: c.unconfirmed_until?.toISOString() ?? null,
            // The user's "always keep" choice in WeChat's settings, when the mini program reported one.
            always: c.always,
            // Why sends are refused whatever the credits: main switch off, or "always reject".
            switchedOff:
              c.main_switch === false
                ? 'main_switch_off'
                : c.always === 'reject' || c.always === 'ban'
                  ? `always_${c.always}`
                  : null,
          }))
        },
      )
    })
  }
}
