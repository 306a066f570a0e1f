// /wxaapi/newtmpl/* template management (WECHAT-REFERENCE.md §5). addtemplate takes JSON or
// x-www-form-urlencoded (`kidList=1&kidList=2`); the keyword keys are `<rule><kid>`, as WeChat
// numbers them. gettemplate returns `content` like `商品名称:{{thing1.DATA}}\n`.
import { WECHAT_PATHS } from '../wechat-facts.ts'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { SimContext } from '../context.ts'
import type { Template } from '../world.ts'
import { type Answer, ok, queryOf, readJson, str, wxError } from './answer.ts'
import { authenticate } from './auth.ts'
import { CATEGORIES, PUBLIC_TITLES } from './public-library.ts'
import { wechatRoute } from './route.ts'

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
  wechatRoute(
    ctx,
    fastify,
    {
      GET: (req) => {
        const auth = authenticate(ctx, req)
        return auth.app ? ok({ data: CATEGORIES }) : auth.answer
      },
    },
    WECHAT_PATHS.templateCategory,
  )

  wechatRoute(
    ctx,
    fastify,
    {
      GET: (req) => {
        const auth = authenticate(ctx, req)
        if (!auth.app) return auth.answer
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
      },
    },
    WECHAT_PATHS.pubTemplateTitles,
  )

  wechatRoute(
    ctx,
    fastify,
    {
      GET: (req) => {
        const auth = authenticate(ctx, req)
        if (!auth.app) return auth.answer
        const t = PUBLIC_TITLES.find((p) => String(p.tid) === queryOf(req).tid)
        if (!t) return wxError(ctx, 200014)
        return ok({ count: t.keywords.length, data: t.keywords })
      },
    },
    WECHAT_PATHS.pubTemplateKeywords,
  )

  wechatRoute(
    ctx,
    fastify,
    {
      POST: (req) => {
        const auth = authenticate(ctx, req)
        if (!auth.app) return auth.answer
        const body = formOrJson(ctx, req)
        if ('answer' in body) return body.answer
        const b = body.value
        const pub = PUBLIC_TITLES.find((p) => String(p.tid) === str(b.tid))
        if (!pub) return wxError(ctx, 200014)
        const kidList = Array.isArray(b.kidList) ? b.kidList.map(Number) : []
        const kws = kidList.map((kid) => pub.keywords.find((k) => k.kid === kid))
        if (
          kws.length < 2 ||
          kws.length > 5 ||
          new Set(kidList).size !== kidList.length ||
          kws.some((k) => !k)
        ) {
          return wxError(ctx, 200020)
        }
        const sceneDesc = str(b.sceneDesc)
        if (sceneDesc !== undefined && Array.from(sceneDesc).length > 15) return wxError(ctx, 200021)
        const live = [...auth.app.templates.values()].filter((t) => !t.deleted).length
        if (live >= ctx.limits.privateTemplates) return wxError(ctx, 200012)
        const t = ctx.world.createTemplate(auth.app, {
          title: pub.title,
          type: pub.type,
          tid: pub.tid,
          sceneDesc,
          keywords: kws.flatMap((k) =>
            k ? [{ key: `${k.rule}${k.kid}`, name: k.name, rule: k.rule, example: k.example }] : [],
          ),
        })
        return ok({ priTmplId: t.priTmplId })
      },
    },
    WECHAT_PATHS.addTemplate,
  )

  wechatRoute(
    ctx,
    fastify,
    {
      POST: (req) => {
        const auth = authenticate(ctx, req)
        if (!auth.app) return auth.answer
        const body = formOrJson(ctx, req)
        if ('answer' in body) return body.answer
        const t = auth.app.templates.get(str(body.value.priTmplId) ?? '')
        if (!t || t.deleted) return wxError(ctx, 40037) // (assumed) the reference lists no error here
        t.deleted = true
        return ok()
      },
    },
    WECHAT_PATHS.deleteTemplate,
  )

  wechatRoute(
    ctx,
    fastify,
    {
      GET: (req) => {
        const auth = authenticate(ctx, req)
        if (!auth.app) return auth.answer
        return ok({ data: [...auth.app.templates.values()].filter((t) => !t.deleted).map(templateView) })
      },
    },
    WECHAT_PATHS.getTemplates,
  )
}
