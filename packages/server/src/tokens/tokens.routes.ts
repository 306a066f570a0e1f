// GET /v1/apps/:appId/access-token: the shared access_token, for other backends of the same team
// that must call WeChat with the very token wxpush uses (two fetchers of one app's token would keep
// invalidating each other's). Off unless WXPUSH_EXPOSE_ACCESS_TOKEN=true; needs the app's own
// admin-scope API key. The token is in the answer only: never logged.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { requireAppAdmin } from '../http/auth.ts'
import { Type } from 'typebox'
import { AppParams } from '../admin/admin.schemas.ts'
import { accessTokenDisabled } from './tokens.errors.ts'
import type { TokenProvider } from './tokens.provider.ts'
import { doc } from '../http/openapi.ts'

const AccessTokenView = Type.Object({
  accessToken: Type.String(),
  expiresAt: Type.String({ description: 'ISO 8601' }),
})

export function accessTokenRoutes(deps: {
  enabled: boolean
  tokens: TokenProvider
  requireApiKey: (r: FastifyRequest) => Promise<void>
}) {
  return async function (app: FastifyInstance) {
    app.get<{ Params: AppParams }>(
      '/v1/apps/:appId/access-token',
      {
        schema: {
          ...doc({
            tag: 'apps',
            auth: 'appAdminKey',
            zh: '共用的 access_token（需 WXPUSH_EXPOSE_ACCESS_TOKEN=true）',
            en: 'The shared access_token (needs WXPUSH_EXPOSE_ACCESS_TOKEN=true)',
          }),
          params: AppParams,
          response: { 200: AccessTokenView },
        },
        // Disabled answers 404 before any key check: the route says nothing about keys when off.
        preValidation: async (request) => {
          if (!deps.enabled) throw accessTokenDisabled()
          await deps.requireApiKey(request)
          requireAppAdmin(request, request.params.appId)
        },
      },
      async (request, reply) => {
        const t = await deps.tokens.current(request.params.appId)
        // A shared token must not sit in caches between us and the caller.
        void reply.header('cache-control', 'no-store')
        return { accessToken: t.accessToken, expiresAt: t.expiresAt.toISOString() }
      },
    )
  }
}
