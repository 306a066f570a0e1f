// POST /v1/media: an image for customer-service messages (checked, stored once).
// POST /v1/users/:id/typing: "typing…" in the chat (customer-service.typing.ts).
// GET /v1/users/:id/conversation: the user's customer-service conversation both ways, oldest first
// within the page: what they wrote (WeChat's pushes, stored by the callback receiver) and what we
// sent (customer-service messages in the outbox), and the window as it stands.
import { customerServiceWindowState } from '@wxpush/wechat'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import type { Db } from '../db/db.ts'
import { appOf } from '../http/auth.ts'
import { userNotFound } from '../users/users.errors.ts'
import type { CustomerServiceStore } from './customer-service.store.ts'
import type { Typing } from './customer-service.typing.ts'
import { MEDIA_MAX_BYTES, type Media } from './media.ts'

const Params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })
const Query = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) })

const Iso = Type.String({ format: 'date-time' })
const MediaView = Type.Object({
  id: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
  createdAt: Iso,
})
const TypingView = Type.Object({ userId: Type.String(), command: Type.String() })
const ConversationItem = Type.Object({
  direction: Type.Union([Type.Literal('in'), Type.Literal('out')]),
  at: Iso,
  // what the user did (in)
  event: Type.Optional(Type.String()),
  sessionFrom: Type.Optional(Type.String()),
  msgtype: Type.Optional(Type.String()),
  text: Type.Optional(Type.String()),
  picUrl: Type.Optional(Type.String()),
  mediaId: Type.Optional(Type.String()),
  title: Type.Optional(Type.String()),
  pagePath: Type.Optional(Type.String()),
  // what we sent (out)
  id: Type.Optional(Type.String()),
  status: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  errcode: Type.Optional(Type.Integer()),
  content: Type.Optional(Type.Unknown()),
})
const ConversationView = Type.Object({
  userId: Type.String(),
  openid: Type.String(),
  window: Type.Object({
    state: Type.String(),
    left: Type.Integer(),
    openUntil: Type.Union([Iso, Type.Null()]),
  }),
  items: Type.Array(ConversationItem),
})

interface Pushed {
  msgType?: string
  content?: string
  picUrl?: string
  mediaId?: string
  title?: string
  pagePath?: string
  sessionFrom?: string
  createTime?: number
}

export function channelsRoutes(deps: {
  db: Db
  store: CustomerServiceStore
  media: Media
  typing: Typing
  requireApiKey: (r: FastifyRequest) => Promise<void>
}) {
  const { db, store } = deps
  return async function (app: FastifyInstance) {
    app.addHook('preValidation', deps.requireApiKey)
    // POST /v1/media takes the image itself as the body (Content-Type image/png, image/jpeg, image/gif).
    // The parser allows a little more than the limit so that a too-large image is answered by
    // channels.media_too_large, naming the limit.
    app.addContentTypeParser(
      /^image\//,
      { parseAs: 'buffer', bodyLimit: MEDIA_MAX_BYTES + 1024 * 1024 },
      (_req, body, done) => done(null, body),
    )

    app.post('/v1/media', { schema: { response: { 201: MediaView } } }, async (request, reply) =>
      reply.status(201).send(await deps.media.accept(appOf(request), request.body)),
    )

    app.post<{ Params: Static<typeof Params>; Body: { command?: unknown } }>(
      '/v1/users/:id/typing',
      { schema: { params: Params, response: { 200: TypingView } } },
      async (request) => deps.typing(appOf(request), request.params.id, request.body?.command),
    )

    app.get<{ Params: Static<typeof Params>; Querystring: Static<typeof Query> }>(
      '/v1/users/:id/conversation',
      { schema: { params: Params, querystring: Query, response: { 200: ConversationView } } },
      async (request) => {
        const appId = appOf(request)
        const user = await db
          .selectFrom('users')
          .select(['id', 'openid'])
          .where('app_id', '=', appId)
          .where('id', '=', request.params.id)
          .executeTakeFirst()
        if (!user) throw userNotFound({ id: request.params.id })
        const limit = request.query.limit ?? 50
        const [incoming, outgoing, w] = [
          await store.incoming(db, { appId, openid: user.openid, limit }),
          await store.outgoing(db, { appId, userId: user.id, limit }),
          await store.window(db, user.id),
        ]
        const items = [
          ...incoming.map((e) => {
            const p = e.payload as Pushed
            const at = p.createTime && p.createTime > 0 ? new Date(p.createTime * 1000) : e.received_at
            return {
              direction: 'in' as const,
              at: at.toISOString(),
              ...(e.event_type === 'user_enter_tempsession'
                ? {
                    event: 'user_enter_tempsession',
                    ...(p.sessionFrom ? { sessionFrom: p.sessionFrom } : {}),
                  }
                : {
                    msgtype: p.msgType ?? 'text',
                    ...(p.content !== undefined ? { text: p.content } : {}),
                    ...(p.picUrl ? { picUrl: p.picUrl } : {}),
                    ...(p.mediaId ? { mediaId: p.mediaId } : {}),
                    ...(p.title ? { title: p.title } : {}),
                    ...(p.pagePath ? { pagePath: p.pagePath } : {}),
                  }),
            }
          }),
          ...outgoing.map((m) => ({
            direction: 'out' as const,
            at: m.created_at.toISOString(),
            id: m.id,
            status: m.status,
            ...(m.reason ? { reason: m.reason } : {}),
            ...(m.errcode !== null ? { errcode: m.errcode } : {}),
            content: m.content,
          })),
        ]
          .sort((a, b) => b.at.localeCompare(a.at))
          .slice(0, limit)
          .reverse()
        const now = Date.now()
        const untilMs = w?.open_until ? new Date(w.open_until).getTime() : 0
        return {
          userId: user.id,
          openid: user.openid,
          window: {
            state: customerServiceWindowState({ left: w?.allowance_left ?? 0, untilMs }, now),
            left: untilMs > now ? (w?.allowance_left ?? 0) : 0,
            openUntil: untilMs > 0 ? new Date(untilMs).toISOString() : null,
          },
          items,
        }
      },
    )
  }
}
