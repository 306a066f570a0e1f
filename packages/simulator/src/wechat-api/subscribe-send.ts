// POST /cgi-bin/message/subscribe/send (docs/wechat.md §3, §4). Checks in this order: token
// (41001/40014/40001/42001), body (44002/47001), daily quota (45009), touser (40003, also another
// app's openid), template_id (40037, also another app's or a deleted one), data (47003, first bad
// field named), page (41030, only when the app was created with `pages`), miniprogram_state and lang
// (47003), consent (43101). A one-time credit is used only by a successful send.
// Success: `{"errcode":0,"errmsg":"ok","msgid":<bare 64-bit integer>}`; the message lands in the
// user's inbox and `subscribe_msg_sent_event` is pushed after the answer.
import { WECHAT_PATHS } from '../wechat-facts.ts'
import type { FastifyInstance } from 'fastify'
import { beijingDay } from '../clock.ts'
import { firstContentError } from '../content-rules.ts'
import type { SimContext } from '../context.ts'
import { sentEvent } from '../callbacks/event-factories.ts'
import type { App, Template } from '../world.ts'
import { type Answer, readJson, str, wxError } from './answer.ts'
import { authenticate } from './auth.ts'
import { wechatRoute } from './route.ts'

const STATES = new Set(['developer', 'trial', 'formal'])
const LANGS = new Set(['zh_CN', 'en_US', 'zh_HK', 'zh_TW'])

/** 41030 unless `page` (without its query) is one of the app's pages; any page when none were given. */
export function pageAllowed(app: App, page: string | undefined): boolean {
  if (page === undefined || page === '' || !app.pages) return true
  const q = page.indexOf('?')
  return app.pages.has(q === -1 ? page : page.slice(0, q))
}

export function liveTemplate(app: App, id: string | undefined): Template | undefined {
  if (id === undefined) return undefined
  const t = app.templates.get(id)
  return t && !t.deleted ? t : undefined
}

export function registerSubscribeSendRoute(ctx: SimContext, fastify: FastifyInstance): void {
  wechatRoute(
    ctx,
    fastify,
    {
      POST: (req): Answer => {
        const auth = authenticate(ctx, req)
        if (!auth.app) return auth.answer
        const app = auth.app
        const body = readJson(ctx, req)
        if (!body.ok) return body.answer
        const b = body.value
        const now = ctx.clock.now()
        if (!ctx.world.count(app, 'subscribe.daily', beijingDay(now), ctx.limits.subscribeSendDaily)) {
          return wxError(ctx, 45009)
        }
        const touser = str(b.touser)
        const user = touser === undefined ? undefined : app.users.get(touser)
        if (!user) return wxError(ctx, 40003)
        const template = liveTemplate(app, str(b.template_id))
        if (!template) return wxError(ctx, 40037)
        const contentError = firstContentError(template.keywords, b.data)
        if (contentError !== undefined) return wxError(ctx, 47003, contentError)
        const page = str(b.page)
        if (!pageAllowed(app, page)) return wxError(ctx, 41030)
        const state = b.miniprogram_state === undefined ? 'formal' : str(b.miniprogram_state)
        if (state === undefined || !STATES.has(state)) return wxError(ctx, 47003, 'miniprogram_state invalid')
        const lang = b.lang === undefined ? 'zh_CN' : str(b.lang)
        if (lang === undefined || !LANGS.has(lang)) return wxError(ctx, 47003, 'lang invalid')
        const consent = user.consents.get(template.priTmplId)
        if (!consent || consent.status !== 'accept') return wxError(ctx, 43101)
        if (template.type === 2) {
          if (consent.credits <= 0) return wxError(ctx, 43101)
          consent.credits--
          consent.updatedAt = now
        }
        const msgid = ctx.world.nextMsgid()
        const failure = user.deliveryFailure
        if (failure) {
          if (failure.count !== undefined && --failure.count <= 0) user.deliveryFailure = undefined
        } else {
          user.inbox.push({
            msgid,
            templateId: template.priTmplId,
            title: template.title,
            page,
            data: normaliseData(template, b.data),
            miniprogramState: state,
            lang,
            receivedAt: now,
            kind: 'subscribe',
          })
        }
        ctx.callbacks.push(
          app,
          sentEvent(app, user, now, {
            templateId: template.priTmplId,
            msgid,
            errorCode: failure ? failure.errorCode : 0,
            errorStatus: failure ? failure.errorStatus : 'success',
          }),
        )
        return { errcode: 0, body: `{"errcode":0,"errmsg":"ok","msgid":${msgid}}` }
      },
      GET: () => wxError(ctx, 43002),
    },
    WECHAT_PATHS.subscribeSend,
  )
}

/** Keeps the template's keywords only, each as `{value: string}`. */
export function normaliseData(template: Template, data: unknown): Record<string, { value: string }> {
  const record = data as Record<string, { value?: unknown } | undefined>
  const out: Record<string, { value: string }> = {}
  for (const kw of template.keywords) out[kw.key] = { value: String(record[kw.key]?.value ?? '') }
  return out
}
