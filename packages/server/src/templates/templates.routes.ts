// GET /v1/templates, POST /v1/templates/sync, PUT /v1/templates/:id/alias.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { appOf } from '../http/auth.ts'
import type { TemplateRegistry } from './templates.sync.ts'

const AliasBody = Type.Object(
  { alias: Type.Union([Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' }), Type.Null()]) },
  { additionalProperties: false },
)
const TemplateParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) })

export function templatesRoutes(deps: {
  templates: TemplateRegistry
  requireApiKey: (r: FastifyRequest) => Promise<void>
}) {
  return async function (app: FastifyInstance) {
    app.addHook('preValidation', deps.requireApiKey)

    app.get('/v1/templates', async (request) => {
      const list = await deps.templates.list(appOf(request))
      return {
        items: list.map((t) => ({
          id: t.id,
          alias: t.alias,
          title: t.title,
          kind: t.kind,
          keywords: t.keywords,
          example: t.example,
          syncedAt: t.syncedAt.toISOString(),
        })),
      }
    })

    app.post('/v1/templates/sync', async (request) => deps.templates.sync(appOf(request)))

    app.put<{ Params: Static<typeof TemplateParams>; Body: Static<typeof AliasBody> }>(
      '/v1/templates/:id/alias',
      { schema: { params: TemplateParams, body: AliasBody } },
      async (request) => {
        await deps.templates.setAlias(appOf(request), request.params.id, request.body.alias)
        return { id: request.params.id, alias: request.body.alias }
      },
    )
  }
}
