// The console's JSON API under /console/api/*, for the browser only: a session cookie, never an API
// key; the CSRF token on every state-changing call. Sends and cancels go through the very services
// of /v1/messages (outbox, content rules, ledger), so a console send is exactly an API send, and
// every send and setting change is written to the audit list with the operator's name.
import { describeErrcode } from '@wxpush/wechat'
import type { FastifyInstance } from 'fastify'
import { Type, type Static } from 'typebox'
import { messageNotFound } from '../messages/messages.errors.ts'
import { decodeCursor, encodeCursor, presentHistory, presentMessage } from '../messages/messages.routes.ts'
import type { CampaignAction } from '../campaigns/campaigns.lifecycle.ts'
import { CreateCampaignBody, ListCampaignsQuery } from '../campaigns/campaigns.schemas.ts'
import { ListMessagesQuery, SendMessageBody } from '../messages/messages.schemas.ts'
import { MAX_PER_SECOND, MIN_PER_SECOND } from '../ratelimits/ratelimits.limiter.ts'
import type { Services } from '../services.ts'
import { operatorOf, requireApp, requireRole, type ConsoleAuth } from './console.auth.ts'
import { consoleUserNotFound } from './console.errors.ts'
import { dashboard, searchUsers } from './console.queries.ts'
import type { ConsoleStore } from './console.store.ts'

const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
)
const AppParams = Type.Object({ appId: Type.String({ minLength: 1, maxLength: 64 }) })
const AppItemParams = Type.Object({
  appId: Type.String({ minLength: 1, maxLength: 64 }),
  id: Type.String({ minLength: 1, maxLength: 128 }),
})
const UsersQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 128 })),
  tag: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
})
const RateLimitBody = Type.Object(
  { perSecond: Type.Number({ minimum: MIN_PER_SECOND, maximum: MAX_PER_SECOND }) },
  { additionalProperties: false },
)
const KeyBody = Type.Object(
  { scope: Type.Union([Type.Literal('app'), Type.Literal('admin')]) },
  { additionalProperties: false },
)
const AliasBody = Type.Object(
  { alias: Type.Union([Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' }), Type.Null()]) },
  { additionalProperties: false },
)

const CampaignActionParams = Type.Object({
  appId: Type.String({ minLength: 1, maxLength: 64 }),
  id: Type.String({ minLength: 1, maxLength: 64 }),
  action: Type.Union([
    Type.Literal('start'),
    Type.Literal('pause'),
    Type.Literal('resume'),
    Type.Literal('cancel'),
  ]),
})

const iso = (d: Date | null) => (d ? d.toISOString() : null)

export function consoleRoutes(deps: { services: Services; store: ConsoleStore; auth: ConsoleAuth }) {
  const s = deps.services
  const { db } = s
  const { store, auth } = deps

  return async function (app: FastifyInstance) {
    app.post<{ Body: Static<typeof LoginBody> }>(
      '/console/api/login',
      { schema: { body: LoginBody } },
      async (request, reply) => auth.login(request, reply, request.body.username, request.body.password),
    )

    // Everything below needs a session (and the CSRF token unless it only reads).
    await app.register(async (authed) => {
      authed.addHook('preValidation', auth.requireOperator)

      authed.post('/console/api/logout', async (request, reply) => {
        await auth.logout(request, reply)
        return { ok: true }
      })

      authed.get('/console/api/me', async (request) => operatorOf(request))

      authed.get('/console/api/apps', async (request) => {
        const op = operatorOf(request)
        const all = await s.apps.listApps()
        return {
          items: all
            .filter((a) => op.apps === 'all' || op.apps.includes(a.id))
            .map((a) => ({
              appId: a.id,
              name: a.name,
              tokenMode: a.token_mode,
              createdAt: iso(a.created_at),
            })),
        }
      })

      authed.get<{ Params: Static<typeof AppParams> }>(
        '/console/api/apps/:appId/dashboard',
        { schema: { params: AppParams } },
        async (request) => {
          const { appId } = request.params
          requireApp(request, appId)
          const refused = (await s.tokens.refusedCredentials()).find((r) => r.appId === appId)
          return {
            ...(await dashboard(db, appId)),
            credentialsRefused: refused ? { errcode: refused.errcode, since: iso(refused.since) } : null,
          }
        },
      )

      authed.get<{ Params: Static<typeof AppParams>; Querystring: Static<typeof UsersQuery> }>(
        '/console/api/apps/:appId/users',
        { schema: { params: AppParams, querystring: UsersQuery } },
        async (request) => {
          const { appId } = request.params
          requireApp(request, appId)
          const { q, tag } = request.query
          // By tag (the users carrying it) or by the start of an openid, userId or unionid.
          const items = tag
            ? (await s.tagsStore.usersWithTag(db, { appId, tag, limit: 50 })).map((u) => ({
                userId: u.id,
                openid: u.openid,
                unionid: u.unionid,
                createdAt: iso(u.created_at),
                lastLoginAt: iso(u.last_login_at),
              }))
            : await searchUsers(db, { appId, q: q ?? '', limit: 50 })
          const tags = await s.tagsStore.tagsOf(
            db,
            items.map((u) => u.userId),
          )
          return { items: items.map((u) => ({ ...u, tags: tags.get(u.userId) ?? [] })) }
        },
      )

      authed.get<{ Params: Static<typeof AppItemParams> }>(
        '/console/api/apps/:appId/users/:id',
        { schema: { params: AppItemParams } },
        async (request) => {
          const { appId, id } = request.params
          requireApp(request, appId)
          const user = await s.usersStore.findById(db, appId, id)
          if (!user) throw consoleUserNotFound({ userId: id })
          const credits = await s.ledger.listForUser(db, id)
          const messages = await s.messagesStore.list(db, { appId, userId: id, limit: 20 })
          return {
            userId: user.id,
            openid: user.openid,
            unionid: user.unionid,
            createdAt: iso(user.created_at),
            lastLoginAt: iso(user.last_login_at),
            tags: (await s.tagsStore.tagsOf(db, [id])).get(id) ?? [],
            consents: credits.map((c) => ({
              templateId: c.template_id,
              title: c.title,
              alias: c.alias,
              kind: c.kind,
              credits: Number(c.credits),
              status: c.status,
              source: c.source,
              updatedAt: iso(c.updated_at),
            })),
            messages: messages.map(presentMessage),
          }
        },
      )

      authed.get<{ Params: Static<typeof AppParams> }>(
        '/console/api/apps/:appId/templates',
        { schema: { params: AppParams } },
        async (request) => {
          requireApp(request, request.params.appId)
          const list = await s.templates.list(request.params.appId)
          return {
            items: list.map((t) => ({
              id: t.id,
              alias: t.alias,
              title: t.title,
              kind: t.kind,
              content: t.content,
              keywords: t.keywords,
              example: t.example,
              syncedAt: t.syncedAt.toISOString(),
            })),
          }
        },
      )

      authed.post<{ Params: Static<typeof AppParams> }>(
        '/console/api/apps/:appId/templates/sync',
        { schema: { params: AppParams } },
        async (request) => {
          const op = requireRole(request, 'admin')
          requireApp(request, request.params.appId)
          const result = await s.templates.sync(request.params.appId)
          await store.audit(db, {
            username: op.username,
            action: 'templates.sync',
            appId: request.params.appId,
          })
          return result
        },
      )

      authed.put<{ Params: Static<typeof AppItemParams>; Body: Static<typeof AliasBody> }>(
        '/console/api/apps/:appId/templates/:id/alias',
        { schema: { params: AppItemParams, body: AliasBody } },
        async (request) => {
          const op = requireRole(request, 'admin')
          const { appId, id } = request.params
          requireApp(request, appId)
          await s.templates.setAlias(appId, id, request.body.alias)
          await store.audit(db, {
            username: op.username,
            action: 'template.alias',
            appId,
            target: id,
            detail: { alias: request.body.alias },
          })
          return { id, alias: request.body.alias }
        },
      )

      authed.post<{ Params: Static<typeof AppParams>; Body: SendMessageBody }>(
        '/console/api/apps/:appId/messages',
        { schema: { params: AppParams, body: SendMessageBody } },
        async (request, reply) => {
          const op = requireRole(request, 'operator')
          const { appId } = request.params
          requireApp(request, appId)
          const result = await s.outbox.enqueue({ appId, ...request.body })
          await store.audit(db, {
            username: op.username,
            action: 'message.send',
            appId,
            target: result.id,
            detail: { to: request.body.to, template: request.body.template, duplicate: result.duplicate },
          })
          return reply.status(result.duplicate ? 200 : 202).send(result)
        },
      )

      authed.get<{ Params: Static<typeof AppParams>; Querystring: Static<typeof ListMessagesQuery> }>(
        '/console/api/apps/:appId/messages',
        { schema: { params: AppParams, querystring: ListMessagesQuery } },
        async (request) => {
          const { appId } = request.params
          requireApp(request, appId)
          const q = request.query
          const limit = q.limit ?? 50
          const templateId = q.template ? (await s.templates.resolve(appId, q.template)).id : undefined
          const rows = await s.messagesStore.list(db, {
            appId,
            status: q.status,
            userId: q.userId,
            templateId,
            campaignId: q.campaign,
            before: q.cursor ? decodeCursor(q.cursor) : undefined,
            limit,
          })
          const last = rows.at(-1)
          return {
            items: rows.map(presentMessage),
            nextCursor: rows.length === limit && last ? encodeCursor(last.created_at, last.id) : null,
          }
        },
      )

      authed.get<{ Params: Static<typeof AppItemParams> }>(
        '/console/api/apps/:appId/messages/:id',
        { schema: { params: AppItemParams } },
        async (request) => {
          const { appId, id } = request.params
          requireApp(request, appId)
          const m = await s.messagesStore.findById(db, appId, id)
          if (!m) throw messageNotFound({ id })
          const explain = (errcode: number | null | undefined) => {
            // errcode 0 is WeChat's "ok": nothing to explain.
            if (errcode === null || errcode === undefined || errcode === 0) return undefined
            const info = describeErrcode(errcode)
            return { errcode, kind: info.kind, reason: info.reason, zh: info.zh, en: info.en }
          }
          return {
            ...presentMessage(m),
            ...(m.errcode ? { errcodeExplained: explain(m.errcode) } : {}),
            history: presentHistory(await s.messagesStore.history(db, m)).map((h) => ({
              ...h,
              ...(h.errcode ? { errcodeExplained: explain(h.errcode) } : {}),
            })),
          }
        },
      )

      authed.post<{ Params: Static<typeof AppItemParams> }>(
        '/console/api/apps/:appId/messages/:id/cancel',
        { schema: { params: AppItemParams } },
        async (request) => {
          const op = requireRole(request, 'operator')
          const { appId, id } = request.params
          requireApp(request, appId)
          const done = await s.outbox.cancel(appId, id)
          await store.audit(db, { username: op.username, action: 'message.cancel', appId, target: id })
          return done
        },
      )

      // Campaigns: the services of /v1/campaigns (audience, lifecycle), with the operator's name audited.
      authed.get<{ Params: Static<typeof AppParams>; Querystring: Static<typeof ListCampaignsQuery> }>(
        '/console/api/apps/:appId/campaigns',
        { schema: { params: AppParams, querystring: ListCampaignsQuery } },
        async (request) => {
          const { appId } = request.params
          requireApp(request, appId)
          const q = request.query
          return s.campaignLifecycle.list(appId, { status: q.status, cursor: q.cursor, limit: q.limit ?? 20 })
        },
      )

      authed.get<{ Params: Static<typeof AppItemParams> }>(
        '/console/api/apps/:appId/campaigns/:id',
        { schema: { params: AppItemParams } },
        async (request) => {
          const { appId, id } = request.params
          requireApp(request, appId)
          return s.campaignLifecycle.view(appId, id)
        },
      )

      authed.post<{ Params: Static<typeof AppParams>; Body: CreateCampaignBody }>(
        '/console/api/apps/:appId/campaigns',
        { schema: { params: AppParams, body: CreateCampaignBody }, bodyLimit: 8 * 1024 * 1024 },
        async (request, reply) => {
          const op = requireRole(request, 'operator')
          const { appId } = request.params
          requireApp(request, appId)
          const r = await s.campaignAudience.create(appId, request.body)
          await store.audit(db, {
            username: op.username,
            action: 'campaign.create',
            appId,
            target: r.id,
            detail: {
              name: request.body.name,
              template: request.body.template,
              audience:
                'userIds' in request.body.audience
                  ? { userIds: request.body.audience.userIds.length }
                  : 'openids' in request.body.audience
                    ? { openids: request.body.audience.openids.length }
                    : request.body.audience,
              duplicate: r.duplicate,
            },
          })
          return reply.status(r.duplicate ? 200 : 201).send({ id: r.id, status: r.status })
        },
      )

      authed.post<{ Params: Static<typeof CampaignActionParams> }>(
        '/console/api/apps/:appId/campaigns/:id/:action',
        { schema: { params: CampaignActionParams } },
        async (request) => {
          const op = requireRole(request, 'operator')
          const { appId, id } = request.params
          const action = request.params.action as CampaignAction
          requireApp(request, appId)
          const view = await s.campaignLifecycle.act(appId, id, action)
          await store.audit(db, { username: op.username, action: `campaign.${action}`, appId, target: id })
          return view
        },
      )

      authed.get<{ Params: Static<typeof AppParams> }>(
        '/console/api/apps/:appId/keys',
        { schema: { params: AppParams } },
        async (request) => {
          requireRole(request, 'admin')
          requireApp(request, request.params.appId)
          const { appId } = request.params
          // Not configured yet answers null; the page shows the URL to paste into the WeChat admin site.
          const callback = await s.callbackConfigs.get(appId).catch(() => null)
          const callbackUrl = `${request.protocol}://${request.host}/wechat/callback/${appId}`
          return {
            items: (await s.apps.listApiKeys(request.params.appId)).map((k) => ({
              id: k.id,
              prefix: k.prefix,
              scope: k.scope,
              createdAt: iso(k.created_at),
              lastUsedAt: iso(k.last_used_at),
              revokedAt: iso(k.revoked_at),
            })),
            callback,
            callbackUrl,
            webhook: await s.webhooksStore
              .findEndpoint(db, appId)
              .then((w) => (w ? { url: w.url, updatedAt: iso(w.updated_at) } : null)),
            rateLimit: await s.rateLimitsStore
              .find(db, appId)
              .then((r) =>
                r
                  ? { perSecond: r.rate_per_s, burst: r.burst, default: false }
                  : { perSecond: s.config.WXPUSH_RATE_LIMIT_PER_S || null, burst: null, default: true },
              ),
          }
        },
      )

      authed.put<{ Params: Static<typeof AppParams>; Body: Static<typeof RateLimitBody> }>(
        '/console/api/apps/:appId/rate-limit',
        { schema: { params: AppParams, body: RateLimitBody } },
        async (request) => {
          const op = requireRole(request, 'admin')
          const { appId } = request.params
          requireApp(request, appId)
          // As PUT /v1/apps/:appId/rate-limit: one second's worth of burst.
          const burst = Math.max(1, request.body.perSecond)
          await s.rateLimitsStore.set(db, { appId, ratePerS: request.body.perSecond, burst })
          s.rateLimiter.forget(appId)
          await store.audit(db, {
            username: op.username,
            action: 'app.rate_limit',
            appId,
            detail: { perSecond: request.body.perSecond },
          })
          return { perSecond: request.body.perSecond, burst }
        },
      )

      authed.post<{ Params: Static<typeof AppParams>; Body: Static<typeof KeyBody> }>(
        '/console/api/apps/:appId/keys',
        { schema: { params: AppParams, body: KeyBody } },
        async (request, reply) => {
          const op = requireRole(request, 'admin')
          const key = await s.apps.issueApiKey(request.params.appId, request.body.scope)
          await store.audit(db, {
            username: op.username,
            action: 'key.issue',
            appId: request.params.appId,
            target: key.id,
            detail: { scope: key.scope },
          })
          // The key itself is shown in this one answer only, as in the admin API.
          return reply.status(201).send({ id: key.id, key: key.apiKey, scope: key.scope })
        },
      )

      authed.delete<{ Params: Static<typeof AppItemParams> }>(
        '/console/api/apps/:appId/keys/:id',
        { schema: { params: AppItemParams } },
        async (request) => {
          const op = requireRole(request, 'admin')
          const { appId, id } = request.params
          const revoked = await s.apps.revokeApiKey(appId, id)
          await store.audit(db, { username: op.username, action: 'key.revoke', appId, target: id })
          return { id, revoked }
        },
      )

      authed.get('/console/api/audit', async (request) => {
        const op = operatorOf(request)
        const rows = await store.listAudit(db, { appIds: op.apps, limit: 200 })
        return {
          items: rows.map((r) => ({
            id: r.id,
            at: r.at.toISOString(),
            username: r.username,
            action: r.action,
            appId: r.app_id,
            target: r.target,
            detail: r.detail,
          })),
        }
      })
    })
  }
}
