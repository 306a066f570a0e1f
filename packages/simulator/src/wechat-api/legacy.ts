// The retired channels (docs/wechat.md §8). Today: template send answers 48001 (what calls got
// after 2020-01-10) and uniform_send 45109 (since 2023-09-20). With `legacy2019` they behave as in
// 2019: a form_id allows one message, a prepay_id three, within 7 days, only to the user who made
// it (41028 invalid or expired, 41029 used up); mint them with
// `POST /control/apps/:appid/users/:openid/form-ids {kind: 'form' | 'prepay'}`.
import { randomBytes } from 'node:crypto'
import { RETIRED_CHANNELS, WECHAT_PATHS } from '../wechat-facts.ts'
import type { FastifyInstance } from 'fastify'
import type { SimContext } from '../context.ts'
import { bodyOf, findUser, paramsOf } from '../control/control-errors.ts'
import type { App } from '../world.ts'
import { type Answer, ok, readJson, str, wxError } from './answer.ts'
import { authedRoute } from './route.ts'
import { liveTemplate, pageAllowed } from './subscribe-send.ts'

const FORM_ID_TTL_MS = 7 * 86_400_000

function templateSend(ctx: SimContext, app: App, touser: unknown, msg: Record<string, unknown>): Answer {
  const user = app.users.get(str(touser) ?? '')
  if (!user) return wxError(ctx, 40003)
  const template = liveTemplate(app, str(msg.template_id))
  if (!template) return wxError(ctx, 40037)
  const formId = ctx.world.formIds.get(str(msg.form_id) ?? '')
  const now = ctx.clock.now()
  if (!formId || formId.appid !== app.appid || formId.openid !== user.openid || formId.expiresAt <= now) {
    return wxError(ctx, 41028)
  }
  if (formId.left <= 0) return wxError(ctx, 41029)
  const page = str(msg.page)
  if (!pageAllowed(app, page)) return wxError(ctx, 41030)
  formId.left--
  const data: Record<string, { value: string }> = {}
  const raw = (msg.data ?? {}) as Record<string, { value?: unknown } | undefined>
  for (const [k, v] of Object.entries(raw)) data[k] = { value: String(v?.value ?? '') }
  user.inbox.push({
    msgid: ctx.world.nextMsgid(),
    templateId: template.priTmplId,
    title: template.title,
    page,
    data,
    miniprogramState: 'formal',
    lang: 'zh_CN',
    receivedAt: now,
    kind: 'template',
  })
  return ok()
}

export function registerLegacyRoutes(ctx: SimContext, fastify: FastifyInstance): void {
  authedRoute(ctx, fastify, 'POST', WECHAT_PATHS.legacyTemplateSend, (req, app) => {
    if (!ctx.legacy2019) return wxError(ctx, RETIRED_CHANNELS.template.wechatErrcode)
    const body = readJson(ctx, req)
    if (!body.ok) return body.answer
    return templateSend(ctx, app, body.value.touser, body.value)
  })

  authedRoute(ctx, fastify, 'POST', WECHAT_PATHS.uniformSend, (req, app) => {
    if (!ctx.legacy2019) return wxError(ctx, RETIRED_CHANNELS.uniform.wechatErrcode)
    const body = readJson(ctx, req)
    if (!body.ok) return body.answer
    const weapp = body.value.weapp_template_msg
    if (weapp !== null && typeof weapp === 'object') {
      return templateSend(ctx, app, body.value.touser, weapp as Record<string, unknown>)
    }
    // The official-account half is not simulated beyond accepting the call.
    return body.value.mp_template_msg ? ok() : wxError(ctx, 47001)
  })

  fastify.post('/control/apps/:appid/users/:openid/form-ids', async (req) => {
    const p = paramsOf(req)
    const { app, user } = findUser(ctx, p.appid, p.openid)
    const kind = bodyOf(req).kind === 'prepay' ? 'prepay' : 'form'
    const formId = randomBytes(16).toString('hex')
    ctx.world.formIds.set(formId, {
      formId,
      appid: app.appid,
      openid: user.openid,
      kind,
      left: kind === 'prepay' ? 3 : 1,
      expiresAt: ctx.clock.now() + FORM_ID_TTL_MS,
    })
    return { formId, kind, sends: kind === 'prepay' ? 3 : 1 }
  })
}
