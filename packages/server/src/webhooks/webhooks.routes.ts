// PUT/GET/DELETE /v1/apps/:appId/webhook: where wxpush tells the backend of each status change.
// Needs the app's admin-scope key. The signing secret is shown once, when set.
import { randomBytes } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import type { Db } from '../db/db.ts'
import { requireAppAdmin } from '../http/auth.ts'
import type { SecretBox } from '../secrets/secrets.box.ts'
import { webhookNotSet } from './webhooks.errors.ts'
import type { WebhooksStore } from './webhooks.store.ts'
import { checkWebhookUrl } from './webhooks.target.ts'
import { doc } from '../http/openapi.ts'

const Params = Type.Object({ appId: Type.String({ minLength: 1, maxLength: 64 }) })
const Body = Type.Object(
  {
    url: Type.String({ pattern: '^https?://', maxLength: 2048 }),
    secret: Type.Optional(Type.String({ minLength: 16, maxLength: 256 })),
  },
  { additionalProperties: false },
)

const SetView = Type.Object({
  url: Type.String(),
  secret: Type.Optional(
    Type.String({
      description:
        '签名密钥，仅在由 wxpush 生成时返回这一次 / the signing secret, answered once and only when wxpush generated it',
    }),
  ),
})
const EndpointView = Type.Object({
  url: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
})
const DeletedView = Type.Object({ deleted: Type.Literal(true) })

export function webhooksRoutes(deps: {
  db: Db
  store: WebhooksStore
  secrets: SecretBox
  allowPrivate: boolean
  requireApiKey: (r: FastifyRequest) => Promise<void>
}) {
  const own = (request: FastifyRequest<{ Params: Static<typeof Params> }>) =>
    requireAppAdmin(request, request.params.appId)
  return async function (app: FastifyInstance) {
    app.addHook('preValidation', deps.requireApiKey)

    app.put<{ Params: Static<typeof Params>; Body: Static<typeof Body> }>(
      '/v1/apps/:appId/webhook',
      {
        schema: {
          ...doc({
            tag: 'apps',
            auth: 'appAdminKey',
            zh: '设置状态变化的 Webhook',
            en: 'Set the webhook told of each status change',
          }),
          params: Params,
          body: Body,
          response: { 200: SetView },
        },
      },
      async (request) => {
        const appId = own(request)
        checkWebhookUrl(request.body.url, deps.allowPrivate)
        const secret = request.body.secret ?? randomBytes(24).toString('base64url')
        await deps.store.upsertEndpoint(deps.db, {
          appId,
          url: request.body.url,
          secretEnc: deps.secrets.seal(secret),
        })
        // The secret is answered only when wxpush generated it: the caller has no other way to learn it.
        return { url: request.body.url, ...(request.body.secret ? {} : { secret }) }
      },
    )

    app.get<{ Params: Static<typeof Params> }>(
      '/v1/apps/:appId/webhook',
      {
        schema: {
          ...doc({ tag: 'apps', auth: 'appAdminKey', zh: '查询 Webhook', en: 'The webhook' }),
          params: Params,
          response: { 200: EndpointView },
        },
      },
      async (request) => {
        const w = await deps.store.findEndpoint(deps.db, own(request))
        if (!w) throw webhookNotSet()
        return { url: w.url, createdAt: w.created_at.toISOString(), updatedAt: w.updated_at.toISOString() }
      },
    )

    app.delete<{ Params: Static<typeof Params> }>(
      '/v1/apps/:appId/webhook',
      {
        schema: {
          ...doc({ tag: 'apps', auth: 'appAdminKey', zh: '删除 Webhook', en: 'Remove the webhook' }),
          params: Params,
          response: { 200: DeletedView },
        },
      },
      async (request) => {
        await deps.store.removeEndpoint(deps.db, own(request))
        return { deleted: true as const }
      },
    )
  }
}
