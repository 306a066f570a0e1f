// POST /v1/auth/login (mini program), GET /v1/users/:id, GET /v1/users?openid=, GET /v1/users?tag=,
// PUT /v1/users/:id/tags, GET /v1/users/:id/consents.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import type { Ledger } from '../consents/consents.ledger.ts'
import type { Db } from '../db/db.ts'
import { appOf } from '../http/auth.ts'
import { loginTooFrequent, tagInvalid, userNotFound, userQueryMissing } from './users.errors.ts'
import type { Login } from './users.login.ts'
import type { UsersStore } from './users.store.ts'
import { doc } from '../http/openapi.ts'
import {
  FindUsersView,
  SessionView,
  UserConsentsView,
  UserTagsView,
  UserWithSettingsView,
} from './users.schemas.ts'
import { TAG_PATTERN, type TagsStore } from './users.tags.store.ts'

const LoginBody = Type.Object(
  {
    appId: Type.String({ minLength: 1, maxLength: 64 }),
    code: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
)
const UserParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })
const UserQuery = Type.Object({
  openid: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  tag: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
})
// Tags are checked in the handler, not by the schema, so that a bad one is a 422 naming it.
const TagsBody = Type.Object(
  {
    add: Type.Optional(Type.Array(Type.String(), { maxItems: 100 })),
    remove: Type.Optional(Type.Array(Type.String(), { maxItems: 100 })),
  },
  { additionalProperties: false },
)

function checkTags(tags: string[], field: string) {
  for (const tag of tags)
    if (!TAG_PATTERN.test(tag)) throw tagInvalid({ field, tag, rule: '^[A-Za-z0-9-_.:]{1,64}$' })
}

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
  tags: TagsStore
  ledger: Ledger
  loginRatePerMin: number
  requireApiKey: (r: FastifyRequest) => Promise<void>
}) {
  const limit = createLoginLimiter(deps.loginRatePerMin)
  return async function (app: FastifyInstance) {
    app.post<{ Body: Static<typeof LoginBody> }>(
      '/v1/auth/login',
      {
        schema: {
          ...doc({
            tag: 'users',
            auth: 'none',
            zh: '小程序登录：用 wx.login 的 code 换会话',
            en: 'Mini program login: exchange wx.login’s code for a session',
          }),
          body: LoginBody,
          response: { 200: SessionView },
        },
      },
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
        {
          schema: {
            ...doc({ tag: 'users', auth: 'apiKey', zh: '查询一个用户', en: 'One user' }),
            params: UserParams,
            response: { 200: UserWithSettingsView },
          },
        },
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
        {
          schema: {
            ...doc({
              tag: 'users',
              auth: 'apiKey',
              zh: '按 openid 查用户，或按标签列出用户',
              en: 'Find a user by openid, or list the users with a tag',
            }),
            querystring: UserQuery,
            response: { 200: FindUsersView },
          },
        },
        async (request) => {
          const q = request.query
          const appId = appOf(request)
          if (q.openid !== undefined) {
            const u = await deps.store.findByOpenid(deps.db, appId, q.openid)
            if (!u) throw userNotFound({ openid: q.openid })
            return present(u)
          }
          if (q.tag === undefined) throw userQueryMissing()
          checkTags([q.tag], 'query.tag')
          const limit = q.limit ?? 100
          const after = q.cursor ? Buffer.from(q.cursor, 'base64url').toString('utf8') : undefined
          const rows = await deps.tags.usersWithTag(deps.db, { appId, tag: q.tag, after, limit })
          const tags = await deps.tags.tagsOf(
            deps.db,
            rows.map((r) => r.id),
          )
          const last = rows.at(-1)
          return {
            items: rows.map((u) => ({ ...present(u), tags: tags.get(u.id) ?? [] })),
            nextCursor: rows.length === limit && last ? Buffer.from(last.id).toString('base64url') : null,
          }
        },
      )

      keyed.put<{ Params: Static<typeof UserParams>; Body: Static<typeof TagsBody> }>(
        '/v1/users/:id/tags',
        {
          schema: {
            ...doc({
              tag: 'users',
              auth: 'apiKey',
              zh: '增删用户的标签',
              en: 'Add and remove a user’s tags',
            }),
            params: UserParams,
            body: TagsBody,
            response: { 200: UserTagsView },
          },
        },
        async (request) => {
          const add = request.body.add ?? []
          const remove = request.body.remove ?? []
          checkTags(add, 'body.add')
          checkTags(remove, 'body.remove')
          const appId = appOf(request)
          const u = await deps.store.findById(deps.db, appId, request.params.id)
          if (!u) throw userNotFound({ id: request.params.id })
          const tags = await deps.db
            .transaction()
            .execute((trx) => deps.tags.change(trx, { appId, userId: u.id, add, remove }))
          return { id: u.id, tags }
        },
      )

      keyed.get<{ Params: Static<typeof UserParams> }>(
        '/v1/users/:id/consents',
        {
          schema: {
            ...doc({
              tag: 'users',
              auth: 'apiKey',
              zh: '用户对各模板的授权与剩余次数',
              en: 'The user’s consents and credits per template',
            }),
            params: UserParams,
            response: { 200: UserConsentsView },
          },
        },
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
