// POST /v1/messages, GET /v1/messages/:id, GET /v1/messages, POST /v1/messages/:id/cancel.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Static } from 'typebox'
import type { Db } from '../db/db.ts'
import type { AppError } from '../errors.ts'
import { appOf } from '../http/auth.ts'
import { requestInvalid } from '../http/http.errors.ts'
import { wantsEnglish } from '../http/http.error-handler.ts'
import { compileBodyValidator } from '../http/validation.ts'
import type { TemplateRegistry } from '../templates/templates.registry.ts'
import type { BatchSender } from './messages.batch.ts'
import { messageNotFound } from './messages.errors.ts'
import type { Outbox } from './messages.outbox.ts'
import { doc } from '../http/openapi.ts'
import {
  BatchBody,
  BatchView,
  CancelledView,
  EnqueuedView,
  ListMessagesQuery,
  MessageIdParams,
  MessageListView,
  MessageWithHistoryView,
  SendMessageBody,
} from './messages.schemas.ts'
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
    ...(m.campaign_id ? { campaign: m.campaign_id } : {}),
  }
}

export function messagesRoutes(deps: {
  db: Db
  outbox: Outbox
  batch: BatchSender
  store: MessagesStore
  templates: TemplateRegistry
  requireApiKey: (r: FastifyRequest) => Promise<void>
}) {
  const { db, store } = deps
  return async function (app: FastifyInstance) {
    app.addHook('preValidation', deps.requireApiKey)

    app.post<{ Body: SendMessageBody }>(
      '/v1/messages',
      {
        schema: {
          ...doc({
            tag: 'messages',
            auth: 'apiKey',
            zh: '发送一条订阅消息（先入队，再由调度器发出）',
            en: 'Send one subscription message (queued, then sent by the dispatcher)',
            notes:
              '202：新消息已入队；200：同一 idempotencyKey 的已有消息。/ 202: queued; 200: the message already accepted under the same idempotencyKey.',
          }),
          body: SendMessageBody,
          response: { 200: EnqueuedView, 202: EnqueuedView },
        },
      },
      async (request, reply) => {
        const b = request.body
        const result = await deps.outbox.enqueue({ appId: appOf(request), ...b })
        return reply.status(result.duplicate ? 200 : 202).send(result)
      },
    )

    const checkItem = compileBodyValidator(SendMessageBody, 'body.messages')
    app.post<{ Body: BatchBody }>(
      '/v1/messages/batch',
      // 1 000 bodies of a few hundred bytes each: more than the default 256 KiB.
      {
        schema: {
          ...doc({
            tag: 'messages',
            auth: 'apiKey',
            zh: '批量发送（1–1000 条，逐条答复）',
            en: 'Send a batch (1–1 000 messages, one result each)',
          }),
          body: BatchBody,
          response: { 200: BatchView },
        },
        bodyLimit: 4 * 1024 * 1024,
      },
      async (request) => {
        const appId = appOf(request)
        const english = wantsEnglish(request)
        const shape = (e: AppError) => ({
          code: e.code,
          message: english ? e.en : e.zh,
          details: e.details ?? {},
        })
        const items = request.body.messages
        const refused = new Map<number, AppError>()
        const valid: { index: number; body: SendMessageBody }[] = []
        items.forEach((item, index) => {
          const fields = checkItem(item).map((f) => ({
            ...f,
            field: f.field.replace('body.messages', `body.messages.${index}`),
          }))
          if (fields.length > 0) refused.set(index, requestInvalid({ fields }))
          else valid.push({ index, body: item as SendMessageBody })
        })
        const written = await deps.batch.send(valid.map((v) => ({ appId, ...v.body })))
        const position = new Map(valid.map((v, i) => [v.index, i]))
        const results = items.map((_, index) => {
          const bad = refused.get(index)
          if (bad) return { index, error: shape(bad) }
          const r = written[position.get(index)!]!
          return 'error' in r
            ? { index, error: shape(r.error) }
            : { index, id: r.id, status: r.status, ...(r.duplicate ? { duplicate: true } : {}) }
        })
        return { results }
      },
    )

    app.get<{ Params: Static<typeof MessageIdParams> }>(
      '/v1/messages/:id',
      {
        schema: {
          ...doc({
            tag: 'messages',
            auth: 'apiKey',
            zh: '查询一条消息及其历史',
            en: 'One message with its history',
          }),
          params: MessageIdParams,
          response: { 200: MessageWithHistoryView },
        },
      },
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
      {
        schema: {
          ...doc({
            tag: 'messages',
            auth: 'apiKey',
            zh: '列出消息（新的在前）',
            en: 'List messages, newest first',
          }),
          querystring: ListMessagesQuery,
          response: { 200: MessageListView },
        },
      },
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
          campaignId: q.campaign,
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
      {
        schema: {
          ...doc({
            tag: 'messages',
            auth: 'apiKey',
            zh: '取消尚未发出的消息',
            en: 'Cancel a message not sent yet',
          }),
          params: MessageIdParams,
          response: { 200: CancelledView },
        },
      },
      async (request) => {
        return deps.outbox.cancel(appOf(request), request.params.id)
      },
    )
  }
}

function encodeCursor(createdAt: Date, id: string) {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url')
}

/** A cursor we did not write (undecodable, or a date Postgres cannot hold) is the caller's 400. */
function decodeCursor(cursor: string) {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|')
  const createdAt = new Date(at ?? '')
  const year = createdAt.getUTCFullYear()
  if (!id || Number.isNaN(createdAt.getTime()) || year < 1970 || year > 9999)
    throw requestInvalid({
      fields: [{ field: 'querystring.cursor', rule: 'cursor', message: 'not a cursor of this API' }],
    })
  return { createdAt, id }
}
