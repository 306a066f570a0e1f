// GET /v1/templates, POST /v1/templates/sync, PUT /v1/templates/:id/alias, POST /v1/templates,
// DELETE /v1/templates/:id, and WeChat's public library under GET /v1/templates/library….
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { appOf } from '../http/auth.ts'
import type { TemplateRow } from './templates.store.ts'
import type { TemplateRegistry } from './templates.registry.ts'
import { doc } from '../http/openapi.ts'

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

// Answers. Only the fields listed here can reach a client.
const Kind = Type.Union([Type.Literal('one_time'), Type.Literal('long_term')])
const TemplateView = Type.Object({
  id: Type.String({ description: 'WeChat template id (priTmplId)' }),
  alias: Type.Union([Type.String(), Type.Null()]),
  title: Type.String(),
  kind: Kind,
  keywords: Type.Array(
    Type.Object({
      key: Type.String({ description: 'e.g. thing1' }),
      type: Type.String({ description: 'thing, number, date, …' }),
      name: Type.String(),
      enumValues: Type.Optional(Type.Array(Type.String())),
    }),
  ),
  example: Type.String(),
  syncedAt: Type.String({ format: 'date-time' }),
})
const TemplateListView = Type.Object({ items: Type.Array(TemplateView) })
const SyncView = Type.Object({ synced: Type.Integer(), removed: Type.Integer() })
const RemovedView = Type.Object({
  id: Type.String(),
  alias: Type.Union([Type.String(), Type.Null()]),
  deleted: Type.Literal(true),
})
const AliasView = Type.Object({ id: Type.String(), alias: Type.Union([Type.String(), Type.Null()]) })
const CategoriesView = Type.Object({
  items: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
})
const TitlesView = Type.Object({
  count: Type.Integer(),
  items: Type.Array(
    Type.Object({ tid: Type.Integer(), title: Type.String(), kind: Kind, categoryId: Type.String() }),
  ),
})
const KeywordsView = Type.Object({
  tid: Type.Integer(),
  count: Type.Integer(),
  items: Type.Array(
    Type.Object({ kid: Type.Integer(), name: Type.String(), example: Type.String(), type: Type.String() }),
  ),
})

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

    const list = {
      schema: {
        ...doc({
          tag: 'templates',
          auth: 'apiKey',
          zh: '本应用的模板（已同步）',
          en: 'The app’s templates (as last synced)',
        }),
        response: { 200: TemplateListView },
      },
    }
    app.get('/v1/templates', list, async (request) => {
      const list = await deps.templates.list(appOf(request))
      return { items: list.map(present) }
    })

    const sync = {
      schema: {
        ...doc({
          tag: 'templates',
          auth: 'apiKey',
          zh: '从微信同步模板',
          en: 'Pull the app’s templates from WeChat',
        }),
        response: { 200: SyncView },
      },
    }
    app.post('/v1/templates/sync', sync, async (request) => deps.templates.sync(appOf(request)))

    app.post<{ Body: Static<typeof AddBody> }>(
      '/v1/templates',
      {
        schema: {
          ...doc({
            tag: 'templates',
            auth: 'apiKey',
            zh: '从公共模板库添加模板',
            en: 'Add a template from WeChat’s public library',
          }),
          body: AddBody,
          response: { 201: TemplateView },
        },
      },
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
      {
        schema: {
          ...doc({
            tag: 'templates',
            auth: 'apiKey',
            zh: '删除模板（微信与本地）',
            en: 'Delete a template (at WeChat and here)',
          }),
          params: TemplateParams,
          response: { 200: RemovedView },
        },
      },
      async (request) => library.remove(appOf(request), request.params.id),
    )

    app.put<{ Params: Static<typeof TemplateParams>; Body: Static<typeof AliasBody> }>(
      '/v1/templates/:id/alias',
      {
        schema: {
          ...doc({
            tag: 'templates',
            auth: 'apiKey',
            zh: '设置或清除模板别名',
            en: 'Set or clear a template’s alias',
          }),
          params: TemplateParams,
          body: AliasBody,
          response: { 200: AliasView },
        },
      },
      async (request) => {
        await deps.templates.setAlias(appOf(request), request.params.id, request.body.alias)
        return { id: request.params.id, alias: request.body.alias }
      },
    )

    const categories = {
      schema: {
        ...doc({ tag: 'templates', auth: 'apiKey', zh: '本应用的类目', en: 'The app’s categories' }),
        response: { 200: CategoriesView },
      },
    }
    app.get('/v1/templates/library/categories', categories, async (request) =>
      library.categories(appOf(request)),
    )

    app.get<{ Querystring: Static<typeof LibraryQuery> }>(
      '/v1/templates/library',
      {
        schema: {
          ...doc({
            tag: 'templates',
            auth: 'apiKey',
            zh: '公共模板库的标题',
            en: 'Titles in WeChat’s public library',
          }),
          querystring: LibraryQuery,
          response: { 200: TitlesView },
        },
      },
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
      {
        schema: {
          ...doc({
            tag: 'templates',
            auth: 'apiKey',
            zh: '公共模板的关键词',
            en: 'A public template’s keywords',
          }),
          params: TidParams,
          response: { 200: KeywordsView },
        },
      },
      async (request) => library.keywords(appOf(request), request.params.tid),
    )
  }
}
