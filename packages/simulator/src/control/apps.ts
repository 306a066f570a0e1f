// Control API: apps, templates, tokens, clock (docs/api.md "Simulator control API" plus extras).
import type { FastifyInstance } from 'fastify'
import type { SimContext } from '../context.ts'
import { ruleOfKey } from '../content-rules.ts'
import type { CallbackConfig, Keyword } from '../world.ts'
import { ControlError, bodyOf, findApp, paramsOf } from './control-errors.ts'

function parseCallback(v: unknown): CallbackConfig | undefined {
  if (v === undefined || v === null) return undefined
  const c = v as Record<string, unknown>
  const mode = c.mode ?? 'plain'
  const format = c.format ?? 'json'
  if (typeof c.url !== 'string' || typeof c.token !== 'string')
    throw new ControlError('invalid_body', { field: 'callback' })
  if (mode !== 'plain' && mode !== 'compatible' && mode !== 'secure')
    throw new ControlError('invalid_body', { field: 'callback.mode' })
  if (format !== 'json' && format !== 'xml')
    throw new ControlError('invalid_body', { field: 'callback.format' })
  const key = c.encodingAesKey
  if (mode !== 'plain' && (typeof key !== 'string' || !/^[A-Za-z0-9+/]{43}$/.test(key))) {
    throw new ControlError('invalid_body', { field: 'callback.encodingAesKey', reason: '43 characters' })
  }
  return {
    url: c.url,
    token: c.token,
    encodingAesKey: typeof key === 'string' ? key : undefined,
    mode,
    format,
  }
}

export function parseKeywords(v: unknown): Keyword[] {
  if (!Array.isArray(v) || v.length === 0) throw new ControlError('invalid_body', { field: 'keywords' })
  return v.map((k: unknown, i) => {
    const kw = k as Record<string, unknown>
    if (typeof kw.key !== 'string' || !/^[a-z_]+\d+$/.test(kw.key) || typeof kw.name !== 'string') {
      throw new ControlError('invalid_body', { field: `keywords[${i}]` })
    }
    const enumValues = Array.isArray(kw.enumValues) ? kw.enumValues.map(String) : undefined
    return {
      key: kw.key,
      name: kw.name,
      rule: ruleOfKey(kw.key),
      ...(enumValues ? { enumValues } : {}),
      ...(typeof kw.example === 'string' ? { example: kw.example } : {}),
    }
  })
}

export function registerAppControl(ctx: SimContext, app: FastifyInstance): void {
  app.post('/control/apps', async (req, reply) => {
    const b = bodyOf(req)
    const appid = typeof b.appid === 'string' ? b.appid : undefined
    if (appid !== undefined && ctx.world.apps.has(appid)) throw new ControlError('app_exists', { appid })
    const pages = Array.isArray(b.pages) ? b.pages.map(String) : undefined
    const created = ctx.world.createApp({
      appid,
      secret: typeof b.secret === 'string' ? b.secret : undefined,
      name: typeof b.name === 'string' ? b.name : undefined,
      pages,
      callback: parseCallback(b.callback),
      unionid: typeof b.unionid === 'boolean' ? b.unionid : undefined,
      officialAccount: b.officialAccount === true,
    })
    return reply.send({ appid: created.appid, secret: created.secret, originalId: created.originalId })
  })

  app.get('/control/apps/:appid', async (req) => {
    const a = findApp(ctx, paramsOf(req).appid)
    return {
      appid: a.appid,
      secret: a.secret,
      name: a.name,
      originalId: a.originalId,
      pages: a.pages ? [...a.pages] : null,
      callback: a.callback ?? null,
      officialAccount: a.officialAccount,
      users: a.users.size,
      templates: [...a.templates.values()].filter((t) => !t.deleted).map((t) => t.priTmplId),
    }
  })

  app.patch('/control/apps/:appid', async (req) => {
    const a = findApp(ctx, paramsOf(req).appid)
    const b = bodyOf(req)
    if ('callback' in b) a.callback = parseCallback(b.callback)
    if ('pages' in b) a.pages = Array.isArray(b.pages) ? new Set(b.pages.map(String)) : undefined
    if (typeof b.name === 'string') a.name = b.name
    return { appid: a.appid }
  })

  app.post('/control/apps/:appid/templates', async (req, reply) => {
    const a = findApp(ctx, paramsOf(req).appid)
    const b = bodyOf(req)
    if (typeof b.title !== 'string' || (b.type !== 2 && b.type !== 3)) {
      throw new ControlError('invalid_body', { fields: ['title', 'type'] })
    }
    const t = ctx.world.createTemplate(a, {
      title: b.title,
      type: b.type,
      keywords: parseKeywords(b.keywords),
    })
    return reply.send({ priTmplId: t.priTmplId })
  })

  app.post('/control/apps/:appid/tokens/invalidate', async (req) => {
    const a = findApp(ctx, paramsOf(req).appid)
    return { invalidated: ctx.world.invalidateTokens(a) }
  })

  app.post('/control/clock', async (req) => {
    const b = bodyOf(req)
    const ms = typeof b.advanceMs === 'number' ? b.advanceMs : NaN
    if (!Number.isFinite(ms) || ms < 0) throw new ControlError('invalid_body', { field: 'advanceMs' })
    const now = ctx.clock.advance(ms)
    return { now: new Date(now).toISOString(), offsetMs: ctx.clock.offsetMs() }
  })

  app.get('/control/clock', async () => ({
    now: new Date(ctx.clock.now()).toISOString(),
    offsetMs: ctx.clock.offsetMs(),
  }))
}
