// POST /v1/messages, GET /v1/messages/:id, GET /v1/messages, POST /v1/messages/:id/cancel.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Static } from 'typebox'
import type { ChannelGate } from '../channels/channels.gate.ts'
import type { Ledger } from '../consents/consents.ledger.ts'
import type { Db } from '../db/db.ts'
import { appOf } from '../http/auth.ts'
import type { Webhooks } from '../webhooks/webhooks.sender.ts'
import type { TemplateRegistry } from '../templates/templates.sync.ts'
import { messageNotFound, notCancellable } from './messages.errors.ts'
import type { Outbox } from './messages.outbox.ts'
import { ListMessagesQuery, MessageIdParams, SendMessageBody } from './messages.schemas.ts'
import type { MessagesStore } from './messages.store.ts'

type Row = NonNullable<Awaited<ReturnType<MessagesStore['findById']>>>

function present(m: Row) {
  return {
    id: m.id,
    status: m.status,
    to: { userId: m.user_id, openid: m.openid },
    template: m.template_id,
    data: m.data,
    ...(m.page ? { page: m.page } : {}),
    attempts: m.attempts,
    createdAt: m.created_at.toISOString(),
    runAt: m.run_at.toISOString(),
    ...(m.sent_at ? { sentAt: m.sent_at.toISOString() } : {}),
    ...(m.delivered_at ? { deliveredAt: m.delivered_at.toISOString() } : {}),
    ...(m.errcode !== null ? { errcode: m.errcode } : {}),
    ...(m.reason ? { reason: m.reason } : {}),
    ...(m.wechat_msgid ? { wechatMsgid: m.wechat_msgid } : {}),
    ...(m.channel !== 'subscribe' ? { channel: m.channel, content: m.content } : {}),
  }
}

export function messagesRoutes(deps: {
  db: Db
  outbox: Outbox
  store: MessagesStore
  ledger: Ledger
  webhooks: Webhooks
  templates: TemplateRegistry
  requireApiKey: (r: FastifyRequest) => Promise<void>
  /** Other channels (docs/channels.md) answer before the subscription-message schema applies. */
  channelGate?: ChannelGate
}) {
  const { db, store } = deps
  return async function (app: FastifyInstance) {
    app.addHook('preValidation', deps.requireApiKey)

    app.post<{ Body: SendMessageBody }>(
      '/v1/messages',
      { schema: { body: SendMessageBody }, ...(deps.channelGate ? { preValidation: deps.channelGate } : {}) },
      async (request, reply) => {
        const b = request.body
        const result = await deps.outbox.enqueue({ appId: appOf(request), ...b })
        return reply.status(result.duplicate ? 200 : 202).send(result)
      },
    )

    app.get<{ Params: Static<typeof MessageIdParams> }>(
      '/v1/messages/:id',
      { schema: { params: MessageIdParams } },
      async (request) => {
        const m = await store.findById(db, appOf(request), request.params.id)
        if (!m) throw messageNotFound({ id: request.params.id })
        const history = await store.history(db, m)
        return {
          ...present(m),
          history: history.map((h) => ({
            status: h.status,
            at: h.created_at.toISOString(),
            ...(h.reason ? { reason: h.reason } : {}),
            ...(h.errcode !== null ? { errcode: h.errcode } : {}),
            ...(h.detail ? { detail: h.detail } : {}),
          })),
        }
      },
    )

    app.get<{ Querystring: Static<typeof ListMessagesQuery> }>(
      '/v1/messages',
      { schema: { querystring: ListMessagesQuery } },
      async (request) => {
        const q = request.query
        const appId = appOf(request)
        const limit = q.limit ?? 50
        const before = q.cursor ? decodeCursor(q.cursor) : undefined
        const templateId = q.template ? (await deps.templates.resolve(appId, q.template)).id : undefined
        const rows = await store.list(db, {
          appId,
          status: q.status,
          userId: q.userId,
          templateId,
          before,
          limit,
        })
        const last = rows.at(-1)
        return {
          items: rows.map(present),
          nextCursor: rows.length === limit && last ? encodeCursor(last.created_at, last.id) : null,
        }
      },
    )

    app.post<{ Params: Static<typeof MessageIdParams> }>(
      '/v1/messages/:id/cancel',
      { schema: { params: MessageIdParams } },
      async (request) => {
        const appId = appOf(request)
        const done = await db.transaction().execute(async (trx) => {
          const row = await store.cancel(trx, appId, request.params.id)
          if (row?.credit_reserved) {
            await deps.ledger.release(trx, [
              { appId, userId: row.user_id, templateId: row.template_id, messageId: row.id },
            ])
          }
          if (row)
            await deps.webhooks.statusChanged(trx, {
              appId,
              messageId: row.id,
              status: 'cancelled',
              reason: 'cancelled',
            })
          return row
        })
        if (done) return { id: done.id, status: 'cancelled' }
        const m = await store.findById(db, appId, request.params.id)
        if (!m) throw messageNotFound({ id: request.params.id })
        throw notCancellable({ id: m.id, status: m.status })
      },
    )
  }
}

function encodeCursor(createdAt: Date, id: string) {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url')
}

function decodeCursor(cursor: string) {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|')
  const createdAt = new Date(at ?? '')
  if (!id || Number.isNaN(createdAt.getTime())) return undefined
  return { createdAt, id }
}
