// An official account's side (an app created with `officialAccount: true`): its followers with their
// unionid, the follower list (/cgi-bin/user/get: openids of those who follow now, up to 10 000 a page),
// their details (/cgi-bin/user/info/batchget, ≤ 100 openids: `subscribe: 0` and nothing else for one
// who does not follow), and the template message (/cgi-bin/message/template/send): 40003 an openid
// the account does not have, 43004 "require subscribe" for one who does not follow (any more), 40037
// a template the account does not have, 48001 a mini program's token. A sent message lands in the
// follower's inbox (kind official_account); the phone page of the mini-program user with the same
// unionid shows it beside 服务通知.
// Control: POST /control/apps/:appid/followers {unionid?, openid?, following?} and
// PATCH /control/apps/:appid/followers/:openid {following}.
import type { FastifyInstance } from 'fastify'
import type { SimContext } from '../context.ts'
import { ControlError, bodyOf, findApp, findUser, paramsOf } from '../control/control-errors.ts'
import { WECHAT_PATHS } from '../wechat-facts.ts'
import type { App, InboxItem } from '../world.ts'
import { ok, queryOf, readJson, str, wxError } from './answer.ts'
import { authedRoute } from './route.ts'
import { liveTemplate } from './subscribe-send.ts'

const PAGE = 10_000
const BATCH_MAX = 100

/** The official-account messages of every account this unionid follows (or followed), oldest first. */
export function officialAccountInbox(ctx: SimContext, unionid: string): { account: App; item: InboxItem }[] {
  const found: { account: App; item: InboxItem }[] = []
  for (const account of ctx.world.apps.values()) {
    if (!account.officialAccount) continue
    for (const follower of account.users.values())
      if (follower.unionid === unionid) for (const item of follower.inbox) found.push({ account, item })
  }
  return found.sort((a, b) => a.item.receivedAt - b.item.receivedAt)
}

export function registerOfficialAccountRoutes(ctx: SimContext, fastify: FastifyInstance): void {
  authedRoute(ctx, fastify, 'GET', WECHAT_PATHS.officialAccountFollowers, (req, app) => {
    if (!app.officialAccount) return wxError(ctx, 48001)
    const following = [...app.users.values()].filter((u) => u.following).map((u) => u.openid)
    const after = str(queryOf(req).next_openid) ?? ''
    const start = after === '' ? 0 : following.indexOf(after) + 1
    const page = following.slice(start, start + PAGE)
    return ok({
      total: following.length,
      count: page.length,
      data: { openid: page },
      next_openid: page.length === PAGE ? page[page.length - 1] : '',
    })
  })

  authedRoute(ctx, fastify, 'POST', WECHAT_PATHS.officialAccountUserInfoBatch, (req, app) => {
    if (!app.officialAccount) return wxError(ctx, 48001)
    const body = readJson(ctx, req)
    if (!body.ok) return body.answer
    const list = body.value.user_list
    if (!Array.isArray(list) || list.length === 0 || list.length > BATCH_MAX) return wxError(ctx, 47001)
    const infos = []
    for (const entry of list as { openid?: unknown }[]) {
      const user = app.users.get(str(entry?.openid) ?? '')
      if (!user) return wxError(ctx, 40003)
      infos.push(
        user.following
          ? { subscribe: 1, openid: user.openid, unionid: user.unionid, language: 'zh_CN' }
          : { subscribe: 0, openid: user.openid },
      )
    }
    return ok({ user_info_list: infos })
  })

  authedRoute(ctx, fastify, 'POST', WECHAT_PATHS.officialAccountTemplateSend, (req, app) => {
    if (!app.officialAccount) return wxError(ctx, 48001)
    const body = readJson(ctx, req)
    if (!body.ok) return body.answer
    const b = body.value
    const user = app.users.get(str(b.touser) ?? '')
    if (!user) return wxError(ctx, 40003)
    if (!user.following) return wxError(ctx, 43004)
    const template = liveTemplate(app, str(b.template_id))
    if (!template) return wxError(ctx, 40037)
    const raw = (b.data ?? {}) as Record<string, { value?: unknown } | undefined>
    const data: Record<string, { value: string }> = {}
    for (const [k, v] of Object.entries(raw)) data[k] = { value: String(v?.value ?? '') }
    const mp = b.miniprogram as { appid?: unknown; pagepath?: unknown } | undefined
    const msgid = ctx.world.nextMsgid()
    user.inbox.push({
      msgid,
      templateId: template.priTmplId,
      title: template.title,
      page: undefined,
      data,
      miniprogramState: 'formal',
      lang: 'zh_CN',
      receivedAt: ctx.clock.now(),
      kind: 'official_account',
      url: str(b.url),
      miniprogram: mp && str(mp.appid) ? { appid: str(mp.appid)!, pagepath: str(mp.pagepath) } : undefined,
    })
    return { errcode: 0, body: `{"errcode":0,"errmsg":"ok","msgid":${msgid}}` }
  })

  fastify.post('/control/apps/:appid/followers', async (req, reply) => {
    const account = findApp(ctx, paramsOf(req).appid)
    if (!account.officialAccount) throw new ControlError('invalid_body', { appid: 'not an official account' })
    const b = bodyOf(req)
    const openid = typeof b.openid === 'string' ? b.openid : undefined
    if (openid !== undefined && account.users.has(openid)) throw new ControlError('user_exists', { openid })
    const follower = ctx.world.createUser(account, {
      ...(openid ? { openid } : {}),
      ...(typeof b.unionid === 'string' ? { unionid: b.unionid } : {}),
    })
    follower.following = b.following !== false
    return reply.send({ openid: follower.openid, unionid: follower.unionid, following: follower.following })
  })

  fastify.patch('/control/apps/:appid/followers/:openid', async (req) => {
    const p = paramsOf(req)
    const { user } = findUser(ctx, p.appid, p.openid)
    const b = bodyOf(req)
    if (typeof b.following !== 'boolean') throw new ControlError('invalid_body', { field: 'following' })
    user.following = b.following
    return { openid: user.openid, unionid: user.unionid, following: user.following }
  })
}
