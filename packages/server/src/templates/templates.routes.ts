// GET /v1/templates, POST /v1/templates/sync, PUT /v1/templates/:id/alias, POST /v1/templates,
// DELETE /v1/templates/:id, and WeChat's public library under GET /v1/templates/library….
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { appOf } from '../http/auth.ts'
import type { TemplateRow } from './templates.store.ts'
import type { TemplateRegistry } from './templates.registry.ts'

const Alias = Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' })
const AliasBody = Type.Object({ alias: Type.Union([Alias, Type.Null()]) }, { additionalProperties: false })
const TemplateParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) })
const AddBody = Type.Object(
  {
    tid: Type.Integer({ minimum: 1 }),
    // WeChat's limits (2–5 keywords, sceneDesc ≤ 15 characters) are checked here, naming the field.
    kidList: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 2, maxItems: 5, uniqueItems: true }),
    sceneDesc: Type.Optional(Type.String({ minLength: 1, maxLength: 15 })),
    alias: Type.Optional(Alias),
  },
  { additionalProperties: false },
)
const LibraryQuery = Type.Object(
  {
    ids: Type.Optional(
      Type.String({ pattern: '^[0-9]{1,9}(,[0-9]{1,9}){0,49}$', description: 'category ids, comma-joined' }),
    ),
    start: Type.Integer({ minimum: 0, default: 0 }),
    limit: Type.Integer({ minimum: 1, maximum: 30, default: 30 }),
    keyword: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
)
const TidParams = Type.Object({ tid: Type.Integer({ minimum: 1 }) })

const present = (t: TemplateRow) => ({
  id: t.id,
  alias: t.alias,
  title: t.title,
  kind: t.kind,
  keywords: t.keywords,
  example: t.example,
  syncedAt: t.syncedAt.toISOString(),
})

export function templatesRoutes(deps: {
  templates: TemplateRegistry
  requireApiKey: (r: FastifyRequest) => Promise<void>
}) {
  const { library } = deps.templates
  return async function (app: FastifyInstance) {
    app.addHook('preValidation', deps.requireApiKey)

    app.get('/v1/templates', async (request) => {
      const list = await deps.templates.list(appOf(request))
      return { items: list.map(present) }
    })

    app.post('/v1/templates/sync', async (request) => deps.templates.sync(appOf(request)))

    app.post<{ Body: Static<typeof AddBody> }>(
      '/v1/templates',
      { schema: { body: AddBody } },
      async (request, reply) => {
        const b = request.body
        const row = await library.add(appOf(request), {
          tid: b.tid,
          kidList: b.kidList,
          ...(b.sceneDesc === undefined ? {} : { sceneDesc: b.sceneDesc }),
          ...(b.alias === undefined ? {} : { alias: b.alias }),
        })
        return reply.status(201).send(present(row))
      },
    )

    app.delete<{ Params: Static<typeof TemplateParams> }>(
      '/v1/templates/:id',
      { schema: { params: TemplateParams } },
      async (request) => library.remove(appOf(request), request.params.id),
    )

    app.put<{ Params: Static<typeof TemplateParams>; Body: Static<typeof AliasBody> }>(
      '/v1/templates/:id/alias',
      { schema: { params: TemplateParams, body: AliasBody } },
      async (request) => {
        await deps.templates.setAlias(appOf(request), request.params.id, request.body.alias)
        return { id: request.params.id, alias: request.body.alias }
      },
    )

    app.get('/v1/templates/library/categories', async (request) => library.categories(appOf(request)))

    app.get<{ Querystring: Static<typeof LibraryQuery> }>(
      '/v1/templates/library',
      { schema: { querystring: LibraryQuery } },
      async (request) => {
        const q = request.query
        return library.titles(appOf(request), {
          ...(q.ids === undefined ? {} : { ids: q.ids.split(',').map(Number) }),
          start: q.start,
          limit: q.limit,
          ...(q.keyword === undefined ? {} : { keyword: q.keyword }),
        })
      },
    )

    app.get<{ Params: Static<typeof TidParams> }>(
      '/v1/templates/library/:tid/keywords',
      { schema: { params: TidParams } },
      async (request) => library.keywords(appOf(request), request.params.tid),
    )
  }
}
