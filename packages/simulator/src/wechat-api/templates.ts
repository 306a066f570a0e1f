// /wxaapi/newtmpl/* template management (docs/wechat.md §5). addtemplate takes JSON or
// x-www-form-urlencoded (`kidList=1&kidList=2`); the keyword keys are `<rule><kid>`, as WeChat
// numbers them. gettemplate returns `content` like `商品名称:{{thing1.DATA}}\n`.
import { WECHAT_PATHS } from '../wechat-facts.ts'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { SimContext } from '../context.ts'
import type { Template } from '../world.ts'
import { type Answer, ok, queryOf, readJson, str, wxError } from './answer.ts'
import { CATEGORIES, PUBLIC_TITLES } from './public-library.ts'
import { authedRoute } from './route.ts'

function formOrJson(
  ctx: SimContext,
  req: FastifyRequest,
): { value: Record<string, unknown> } | { answer: Answer } {
  const ct = String(req.headers['content-type'] ?? '')
  if (ct.includes('application/x-www-form-urlencoded') && typeof req.body === 'string') {
    const params = new URLSearchParams(req.body)
    const value: Record<string, unknown> = {}
    for (const key of new Set(params.keys())) {
      const all = params.getAll(key)
      value[key] = key === 'kidList' ? all : all[0]
    }
    return { value }
  }
  const body = readJson(ctx, req)
  return body.ok ? { value: body.value } : { answer: body.answer }
}

export function templateView(t: Template): Record<string, unknown> {
  const enums = t.keywords.filter((k) => k.enumValues && k.enumValues.length > 0)
  return {
    priTmplId: t.priTmplId,
    title: t.title,
    content: t.keywords.map((k) => `${k.name}:{{${k.key}.DATA}}\n`).join(''),
    example: t.keywords.map((k) => `${k.name}:${k.example ?? ''}\n`).join(''),
    type: t.type,
    ...(enums.length > 0
      ? {
          keywordEnumValueList: enums.map((k) => ({
            keywordCode: `${k.key}.DATA`,
            enumValueList: k.enumValues,
          })),
        }
      : {}),
  }
}

export function registerTemplateRoutes(ctx: SimContext, fastify: FastifyInstance): void {
  authedRoute(ctx, fastify, 'GET', WECHAT_PATHS.templateCategory, () => ok({ data: CATEGORIES }))

  authedRoute(ctx, fastify, 'GET', WECHAT_PATHS.pubTemplateTitles, (req) => {
    const q = queryOf(req)
    if (q.ids === undefined || q.ids === '') return wxError(ctx, 200018)
    const ids = q.ids.split(',').map((s) => s.trim())
    if (!ids.every((s) => /^\d+$/.test(s))) return wxError(ctx, 200019)
    const start = Number(q.start ?? 'x')
    if (!Number.isInteger(start) || start < 0) return wxError(ctx, 200016)
    const limit = Number(q.limit ?? 'x')
    if (!Number.isInteger(limit) || limit < 1 || limit > 30) return wxError(ctx, 200017)
    const wanted = new Set(ids.map(Number))
    const all = PUBLIC_TITLES.filter((t) => wanted.has(t.categoryId))
    return ok({
      count: all.length,
      data: all
        .slice(start, start + limit)
        .map((t) => ({ tid: t.tid, title: t.title, type: t.type, categoryId: String(t.categoryId) })),
    })
  })

  authedRoute(ctx, fastify, 'GET', WECHAT_PATHS.pubTemplateKeywords, (req) => {
    const t = PUBLIC_TITLES.find((p) => String(p.tid) === queryOf(req).tid)
    if (!t) return wxError(ctx, 200014)
    return ok({ count: t.keywords.length, data: t.keywords })
  })

  authedRoute(ctx, fastify, 'POST', WECHAT_PATHS.addTemplate, (req, app) => {
    const body = formOrJson(ctx, req)
    if ('answer' in body) return body.answer
    const b = body.value
    const pub = PUBLIC_TITLES.find((p) => String(p.tid) === str(b.tid))
    if (!pub) return wxError(ctx, 200014)
    const kidList = Array.isArray(b.kidList) ? b.kidList.map(Number) : []
    const kws = kidList.map((kid) => pub.keywords.find((k) => k.kid === kid))
    if (kws.length < 2 || kws.length > 5 || new Set(kidList).size !== kidList.length || kws.some((k) => !k)) {
      return wxError(ctx, 200020)
    }
    const sceneDesc = str(b.sceneDesc)
    if (sceneDesc !== undefined && Array.from(sceneDesc).length > 15) return wxError(ctx, 200021)
    const live = [...app.templates.values()].filter((t) => !t.deleted).length
    if (live >= ctx.limits.privateTemplates) return wxError(ctx, 200012)
    const t = ctx.world.createTemplate(app, {
      title: pub.title,
      type: pub.type,
      tid: pub.tid,
      sceneDesc,
      keywords: kws.flatMap((k) =>
        k ? [{ key: `${k.rule}${k.kid}`, name: k.name, rule: k.rule, example: k.example }] : [],
      ),
    })
    return ok({ priTmplId: t.priTmplId })
  })

  authedRoute(ctx, fastify, 'POST', WECHAT_PATHS.deleteTemplate, (req, app) => {
    const body = formOrJson(ctx, req)
    if ('answer' in body) return body.answer
    const t = app.templates.get(str(body.value.priTmplId) ?? '')
    if (!t || t.deleted) return wxError(ctx, 40037) // (assumed) the reference lists no error here
    t.deleted = true
    return ok()
  })

  authedRoute(ctx, fastify, 'GET', WECHAT_PATHS.getTemplates, (req, app) => {
    return ok({ data: [...app.templates.values()].filter((t) => !t.deleted).map(templateView) })
  })
}
