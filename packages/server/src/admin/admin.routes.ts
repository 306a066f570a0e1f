// The admin API, behind the service-wide admin key (WXPUSH_ADMIN_KEY):
//   POST   /v1/admin/apps                          {appId, secret, name?, tokenMode?} → app + first API key (shown once)
//   GET    /v1/admin/apps
//   POST   /v1/admin/apps/:appId/rotate-secret     {secret}
//   POST   /v1/admin/apps/:appId/keys              {scope} → the key, shown once
//   GET    /v1/admin/apps/:appId/keys              prefix, scope, times: never the key
//   DELETE /v1/admin/apps/:appId/keys/:keyId       revoke
// Answers never hold a secret, except the plain API key in the one answer that issues it.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { AppsRegistry } from '../apps/apps.registry.ts'
import type { TokenProvider } from '../tokens/tokens.provider.ts'
import { apiKeyNotFound } from './admin.errors.ts'
import { doc } from '../http/openapi.ts'
import {
  AppListView,
  AppParams,
  CreateAppBody,
  CreatedAppView,
  IssueKeyBody,
  KeyListView,
  KeyParams,
  NewKeyView,
  RevokedView,
  RotateSecretBody,
  RotatedView,
} from './admin.schemas.ts'

type TokenMode = 'stable' | 'classic'
const iso = (d: Date | null) => (d ? d.toISOString() : null)

export function adminRoutes(deps: {
  apps: AppsRegistry
  tokens: TokenProvider
  defaultTokenMode: TokenMode
  requireAdminKey: (r: FastifyRequest) => Promise<void>
  /** Drops a revoked key from this process's API-key cache (other processes: within 10 s). */
  forgetApiKey: (keyId: string) => void
}) {
  const { apps } = deps
  const newKeyView = (k: { id: string; apiKey: string; scope: 'app' | 'admin' }) => ({
    id: k.id,
    key: k.apiKey,
    prefix: k.apiKey.slice(0, 9),
    scope: k.scope,
  })

  return async function (app: FastifyInstance) {
    app.addHook('preValidation', deps.requireAdminKey)

    app.post<{ Body: CreateAppBody }>(
      '/v1/admin/apps',
      {
        schema: {
          ...doc({
            tag: 'admin',
            auth: 'adminKey',
            zh: '添加应用（返回首个 API 密钥，仅此一次）',
            en: 'Add an app (answers its first API key, once)',
          }),
          body: CreateAppBody,
          response: { 201: CreatedAppView },
        },
      },
      async (request, reply) => {
        const b = request.body
        await apps.createApp({
          appId: b.appId,
          secret: b.secret,
          tokenMode: b.tokenMode ?? deps.defaultTokenMode,
          ...(b.name ? { name: b.name } : {}),
        })
        const created = await apps.getApp(b.appId)
        const key = await apps.issueApiKey(b.appId, 'app')
        request.log.info({ appId: b.appId, keyId: key.id }, 'app created / 已创建应用')
        return reply.status(201).send({
          app: { ...created, createdAt: created.createdAt.toISOString() },
          apiKey: newKeyView(key),
        })
      },
    )

    app.get(
      '/v1/admin/apps',
      {
        schema: {
          ...doc({
            tag: 'admin',
            auth: 'adminKey',
            zh: '列出应用及其凭据状态',
            en: 'List the apps and their credentials’ state',
          }),
          response: { 200: AppListView },
        },
      },
      async () => {
        const refused = new Map((await deps.tokens.refusedCredentials()).map((r) => [r.appId, r]))
        return {
          items: (await apps.listApps()).map((a) => {
            const r = refused.get(a.id)
            return {
              appId: a.id,
              name: a.name,
              tokenMode: a.token_mode,
              createdAt: a.created_at.toISOString(),
              credentials: r
                ? { status: 'invalid' as const, errcode: r.errcode, since: iso(r.since) }
                : { status: 'ok' as const, errcode: null, since: null },
            }
          }),
        }
      },
    )

    app.post<{ Params: AppParams; Body: RotateSecretBody }>(
      '/v1/admin/apps/:appId/rotate-secret',
      {
        schema: {
          ...doc({ tag: 'admin', auth: 'adminKey', zh: '更换 AppSecret', en: 'Rotate the AppSecret' }),
          params: AppParams,
          body: RotateSecretBody,
          response: { 200: RotatedView },
        },
      },
      async (request) => {
        await apps.rotateSecret(request.params.appId, request.body.secret)
        request.log.info({ appId: request.params.appId }, 'app secret rotated / 已更换应用密钥')
        return { appId: request.params.appId, rotatedAt: new Date().toISOString() }
      },
    )

    app.post<{ Params: AppParams; Body: IssueKeyBody }>(
      '/v1/admin/apps/:appId/keys',
      {
        schema: {
          ...doc({
            tag: 'admin',
            auth: 'adminKey',
            zh: '签发 API 密钥（仅显示一次）',
            en: 'Issue an API key (shown once)',
          }),
          params: AppParams,
          body: IssueKeyBody,
          response: { 201: NewKeyView },
        },
      },
      async (request, reply) => {
        const key = await apps.issueApiKey(request.params.appId, request.body.scope)
        request.log.info({ appId: request.params.appId, keyId: key.id }, 'API key issued / 已签发 API 密钥')
        return reply.status(201).send(newKeyView(key))
      },
    )

    app.get<{ Params: AppParams }>(
      '/v1/admin/apps/:appId/keys',
      {
        schema: {
          ...doc({
            tag: 'admin',
            auth: 'adminKey',
            zh: '列出密钥（不含密钥本身）',
            en: 'List the keys (never the key itself)',
          }),
          params: AppParams,
          response: { 200: KeyListView },
        },
      },
      async (request) => {
        await apps.getApp(request.params.appId) // 404 apps.not_found rather than an empty list
        return {
          items: (await apps.listApiKeys(request.params.appId)).map((k) => ({
            id: k.id,
            prefix: k.prefix,
            scope: k.scope,
            createdAt: k.created_at.toISOString(),
            lastUsedAt: iso(k.last_used_at),
            revokedAt: iso(k.revoked_at),
          })),
        }
      },
    )

    app.delete<{ Params: KeyParams }>(
      '/v1/admin/apps/:appId/keys/:keyId',
      {
        schema: {
          ...doc({ tag: 'admin', auth: 'adminKey', zh: '吊销密钥', en: 'Revoke a key' }),
          params: KeyParams,
          response: { 200: RevokedView },
        },
      },
      async (request) => {
        const { appId, keyId } = request.params
        await apps.getApp(appId)
        if (!(await apps.revokeApiKey(appId, keyId))) throw apiKeyNotFound({ appId, keyId })
        deps.forgetApiKey(keyId)
        request.log.info({ appId, keyId }, 'API key revoked / 已吊销 API 密钥')
        return { id: keyId, revoked: true as const }
      },
    )
  }
}
