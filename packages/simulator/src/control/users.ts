// Control API: users, login codes, consent (what wx.requestSubscribeMessage does), settings, the
// inbox, delivery failures and the risk flag (docs/api.md "Simulator control API" plus extras).
import type { FastifyInstance } from 'fastify'
import { changeEvent, popupEvent } from '../callbacks/event-factories.ts'
import type { SimContext } from '../context.ts'
import { officialAccountInbox } from '../wechat-api/official-account.ts'
import type { InboxItem, User } from '../world.ts'
import { ControlError, bodyOf, findApp, findUser, paramsOf } from './control-errors.ts'

const ACCEPTS = new Set(['accept', 'acceptWithAudio', 'acceptWithAlert', 'acceptWithForcePush'])
const RESULTS = new Set([...ACCEPTS, 'reject', 'ban', 'filter'])

export function inboxView(item: InboxItem): Record<string, unknown> {
  return {
    msgid: item.msgid,
    channel: item.kind === 'official_account' ? 'official_account' : 'subscribe',
    templateId: item.templateId,
    page: item.page ?? null,
    data: item.data,
    miniprogramState: item.miniprogramState,
    lang: item.lang,
    receivedAt: new Date(item.receivedAt).toISOString(),
  }
}

function settingsView(user: User): Record<string, unknown> {
  const items = user.subscriptions.itemSettings
  return {
    mainSwitch: user.subscriptions.mainSwitch,
    ...(items.size > 0 ? { itemSettings: Object.fromEntries(items) } : {}),
  }
}

export function registerUserControl(ctx: SimContext, app: FastifyInstance): void {
  app.post('/control/apps/:appid/users', async (req) => {
    const a = findApp(ctx, paramsOf(req).appid)
    const b = bodyOf(req)
    const openid = typeof b.openid === 'string' ? b.openid : undefined
    if (openid !== undefined && a.users.has(openid)) throw new ControlError('user_exists', { openid })
    const u = ctx.world.createUser(a, {
      openid,
      unionid: typeof b.unionid === 'string' ? b.unionid : undefined,
      highRisk: b.highRisk === true,
    })
    return { openid: u.openid, unionid: u.unionid }
  })

  app.post('/control/apps/:appid/users/:openid/login', async (req) => {
    const p = paramsOf(req)
    const { app: a, user } = findUser(ctx, p.appid, p.openid)
    return { code: ctx.world.mintCode(a, user).code }
  })

  app.post('/control/apps/:appid/users/:openid/risk', async (req) => {
    const p = paramsOf(req)
    const { user } = findUser(ctx, p.appid, p.openid)
    user.highRisk = bodyOf(req).highRisk !== false
    return { highRisk: user.highRisk }
  })

  // What wx.requestSubscribeMessage returns; fails as the client API does (20001, 20002, 20003, and
  // 20004 while the user's main switch is off). `results` holds what the user would tap in the
  // popup; a template with a kept choice ("always keep") shows no popup and answers the kept
  // value instead. `keep: true`: the user ticks "always keep" in this popup.
  app.post('/control/apps/:appid/users/:openid/subscribe', async (req, reply) => {
    const p = paramsOf(req)
    const { app: a, user } = findUser(ctx, p.appid, p.openid)
    const body = bodyOf(req)
    const results = body.results
    if (results === null || typeof results !== 'object' || Array.isArray(results)) {
      throw new ControlError('invalid_body', { field: 'results' })
    }
    if (body.keep !== undefined && typeof body.keep !== 'boolean')
      throw new ControlError('invalid_body', { field: 'keep' })
    const entries = Object.entries(results as Record<string, unknown>)
    const fail = (errCode: number, text: string) =>
      reply.code(400).send({ errMsg: `requestSubscribeMessage:fail ${text}`, errCode })
    if (entries.length === 0) return fail(10001, "TmplIds can't be empty")
    if (entries.length > ctx.limits.subscribeIdsPerCall)
      return fail(20003, 'Templates count out of max bounds')
    const types = new Set<number>()
    for (const [id, value] of entries) {
      const t = a.templates.get(id)
      if (!t || t.deleted) return fail(20001, 'No template data return, verify the template id exist')
      if (typeof value !== 'string' || !RESULTS.has(value)) {
        throw new ControlError('invalid_body', { field: `results.${id}` })
      }
      types.add(t.type)
    }
    if (types.size > 1) return fail(20002, 'Templates type must be same')
    if (!user.subscriptions.mainSwitch) return fail(20004, 'The main switch is switched off')
    const now = ctx.clock.now()
    const popup: { templateId: string; status: 'accept' | 'reject' }[] = []
    const answer: Record<string, string> = { errMsg: 'requestSubscribeMessage:ok' }
    const kept = user.subscriptions.itemSettings
    for (const [id, v] of entries) {
      const keptValue = kept.get(id)
      const value = keptValue ?? String(v)
      answer[id] = value
      if (body.keep === true && keptValue === undefined && value !== 'filter') kept.set(id, value)
      const t = a.templates.get(id)
      if (!t) continue
      const consent = user.consents.get(id) ?? { status: 'reject' as const, credits: 0, updatedAt: now }
      const pushed = keptValue === undefined || ctx.keptChoiceEvents
      if (ACCEPTS.has(value)) {
        consent.status = 'accept'
        // A kept accept still grants one one-time send per call ("总是保持" skips the popup only).
        if (t.type === 2) consent.credits++
        if (pushed) popup.push({ templateId: id, status: 'accept' })
      } else if (value === 'reject') {
        // A popup refusal adds nothing; whether it removes earlier one-time credits is unconfirmed:
        // kept. Long-term templates are switched off.
        if (t.type === 3 || consent.credits === 0) consent.status = 'reject'
        if (pushed) popup.push({ templateId: id, status: 'reject' })
      } else if (value === 'ban') {
        consent.status = 'ban'
      }
      consent.updatedAt = now
      user.consents.set(id, consent)
    }
    if (popup.length > 0) ctx.callbacks.push(a, popupEvent(a, user, now, popup))
    return answer
  })

  // The user's settings page (设置 → 订阅消息): `mainSwitch` turns every subscription message on or
  // off; `templateIds` + status "reject" switches templates off (status reject, credits gone,
  // `subscribe_msg_change_event` pushed: only rejections are ever pushed); a kept choice for them
  // becomes "reject". `itemSettings: {id: value | null}` sets or clears kept choices directly.
  app.post('/control/apps/:appid/users/:openid/settings', async (req) => {
    const p = paramsOf(req)
    const { app: a, user } = findUser(ctx, p.appid, p.openid)
    const b = bodyOf(req)
    if (b.mainSwitch !== undefined) {
      if (typeof b.mainSwitch !== 'boolean') throw new ControlError('invalid_body', { field: 'mainSwitch' })
      user.subscriptions.mainSwitch = b.mainSwitch
    }
    if (b.itemSettings !== undefined) {
      if (b.itemSettings === null || typeof b.itemSettings !== 'object' || Array.isArray(b.itemSettings))
        throw new ControlError('invalid_body', { field: 'itemSettings' })
      for (const [id, v] of Object.entries(b.itemSettings as Record<string, unknown>)) {
        if (!a.templates.has(id)) throw new ControlError('template_not_found', { templateId: id })
        if (v === null) user.subscriptions.itemSettings.delete(id)
        else if (typeof v === 'string' && RESULTS.has(v) && v !== 'filter')
          user.subscriptions.itemSettings.set(id, v)
        else throw new ControlError('invalid_body', { field: `itemSettings.${id}` })
      }
    }
    if (b.templateId === undefined && b.templateIds === undefined) return settingsView(user)
    const ids = Array.isArray(b.templateIds) ? b.templateIds.map(String) : [String(b.templateId)]
    if (b.status !== undefined && b.status !== 'reject')
      throw new ControlError('invalid_body', { field: 'status' })
    const now = ctx.clock.now()
    for (const id of ids) {
      if (!a.templates.has(id)) throw new ControlError('template_not_found', { templateId: id })
      user.consents.set(id, { status: 'reject', credits: 0, updatedAt: now })
      if (user.subscriptions.itemSettings.has(id)) user.subscriptions.itemSettings.set(id, 'reject')
    }
    ctx.callbacks.push(a, changeEvent(a, user, now, ids))
    return { templateIds: ids, status: 'reject' }
  })

  // What wx.getSetting({withSubscriptions: true}) answers in `subscriptionsSetting`: itemSettings
  // lists only the templates with a kept choice, and is absent when there is none.
  app.get('/control/apps/:appid/users/:openid/settings', async (req) => {
    const p = paramsOf(req)
    const { user } = findUser(ctx, p.appid, p.openid)
    return settingsView(user)
  })

  app.get('/control/apps/:appid/users/:openid/consents', async (req) => {
    const p = paramsOf(req)
    const { app: a, user } = findUser(ctx, p.appid, p.openid)
    return [...user.consents.entries()].map(([templateId, c]) => ({
      templateId,
      type: a.templates.get(templateId)?.type ?? null,
      status: c.status,
      credits: c.credits,
      updatedAt: new Date(c.updatedAt).toISOString(),
    }))
  })

  app.get('/control/apps/:appid/users/:openid/inbox', async (req) => {
    const p = paramsOf(req)
    const { user } = findUser(ctx, p.appid, p.openid)
    // 服务通知 cards, then what customer service sent (channel customer_service), in time order.
    const service = user.customerService
      .filter((m) => m.from === 'service')
      .map((m) => ({
        channel: 'customer_service',
        msgtype: m.msgtype,
        content: m.body,
        receivedAt: new Date(m.receivedAt).toISOString(),
      }))
    // The template messages of official accounts this user follows (matched by unionid).
    const accounts = officialAccountInbox(ctx, user.unionid).map(
      ({ account, item }): Record<string, unknown> => ({
        ...inboxView(item),
        officialAccount: account.appid,
        ...(item.url ? { url: item.url } : {}),
        ...(item.miniprogram ? { miniprogram: item.miniprogram } : {}),
      }),
    )
    return [...user.inbox.map(inboxView), ...service, ...accounts].sort((a, b) =>
      String(a.receivedAt).localeCompare(String(b.receivedAt)),
    )
  })

  app.delete('/control/apps/:appid/users/:openid/inbox', async (req) => {
    const p = paramsOf(req)
    const { user } = findUser(ctx, p.appid, p.openid)
    user.inbox = []
    return []
  })

  // The next sends' `subscribe_msg_sent_event` report failure (ErrorCode/ErrorStatus are not
  // documented by WeChat; the defaults are placeholders) and the messages do not reach the inbox.
  app.post('/control/apps/:appid/users/:openid/delivery', async (req) => {
    const p = paramsOf(req)
    const { user } = findUser(ctx, p.appid, p.openid)
    const b = bodyOf(req)
    user.deliveryFailure =
      b.fail === true
        ? {
            errorCode: typeof b.errorCode === 'number' ? b.errorCode : 10002,
            errorStatus: typeof b.errorStatus === 'string' ? b.errorStatus : 'system error',
            count: typeof b.count === 'number' ? b.count : undefined,
          }
        : undefined
    return { fail: user.deliveryFailure !== undefined, ...(user.deliveryFailure ?? {}) }
  })
}
