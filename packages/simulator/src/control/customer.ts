// Control API: the user writes to customer service — `POST …/messages` with `{msgtype: "text", content}`,
// `{msgtype: "image"}` or `{event: "user_enter_tempsession", sessionFrom?}` (CONTRACT v1.1). Each
// opens the window by WeChat's rule and pushes the message or event to the app's callback URL in
// whatever mode and format the app configured. `…/enter-session` is the older spelling of the event.
// `GET …/customer-service` lists what customer service sent the user.
import type { FastifyInstance } from 'fastify'
import { enterSessionEvent, imageMessageEvent, textMessageEvent } from '../callbacks/event-factories.ts'
import type { SimContext } from '../context.ts'
import type { App, User } from '../world.ts'
import { CS_ENTER_SESSION, CS_USER_MESSAGE, openWindow } from '../wechat-api/customer-service.ts'
import { storeMedia, TINY_PNG } from '../wechat-api/media.ts'
import { bodyOf, ControlError, findUser, paramsOf } from './control-errors.ts'

function windowView(user: User) {
  return { windowLeft: user.csLeft, windowUntil: new Date(user.csDeadline).toISOString() }
}

function enterSession(ctx: SimContext, a: App, user: User, sessionFrom: string) {
  const now = ctx.clock.now()
  openWindow(user, now, CS_ENTER_SESSION)
  user.lastExchangeAt = now
  ctx.callbacks.push(a, enterSessionEvent(a, user, now, sessionFrom))
  return { event: 'user_enter_tempsession', ...windowView(user) }
}

export function registerCustomerControl(ctx: SimContext, app: FastifyInstance): void {
  app.post('/control/apps/:appid/users/:openid/messages', async (req) => {
    const p = paramsOf(req)
    const { app: a, user } = findUser(ctx, p.appid, p.openid)
    const b = bodyOf(req)
    const sessionFrom = typeof b.sessionFrom === 'string' ? b.sessionFrom : ''
    if (b.event !== undefined) {
      if (b.event !== 'user_enter_tempsession')
        throw new ControlError('invalid_body', { field: 'event', allowed: ['user_enter_tempsession'] })
      return enterSession(ctx, a, user, sessionFrom)
    }
    const msgtype = b.msgtype ?? 'text'
    if (msgtype !== 'text' && msgtype !== 'image')
      throw new ControlError('invalid_body', { field: 'msgtype', allowed: ['text', 'image'] })
    if (b.content !== undefined && typeof b.content !== 'string')
      throw new ControlError('invalid_body', { field: 'content', rule: 'string' })
    const now = ctx.clock.now()
    const msgid = ctx.world.nextMsgid()
    openWindow(user, now, CS_USER_MESSAGE)
    user.lastExchangeAt = now
    if (msgtype === 'image') {
      const media = storeMedia(ctx, a, 'image/png', TINY_PNG)
      const picUrl = `https://mmbiz.qpic.cn/sim/${media.mediaId}`
      user.customerService.push({
        msgtype,
        body: { media_id: media.mediaId, pic_url: picUrl },
        receivedAt: now,
        from: 'user',
      })
      ctx.callbacks.push(a, imageMessageEvent(a, user, now, picUrl, media.mediaId, msgid))
      return { msgid, msgtype, mediaId: media.mediaId, ...windowView(user) }
    }
    const content = typeof b.content === 'string' ? b.content : '你好'
    user.customerService.push({ msgtype, body: { content }, receivedAt: now, from: 'user' })
    ctx.callbacks.push(a, textMessageEvent(a, user, now, content, msgid))
    return { msgid, msgtype, ...windowView(user) }
  })

  app.post('/control/apps/:appid/users/:openid/enter-session', async (req) => {
    const p = paramsOf(req)
    const { app: a, user } = findUser(ctx, p.appid, p.openid)
    const b = bodyOf(req)
    return enterSession(ctx, a, user, typeof b.sessionFrom === 'string' ? b.sessionFrom : '')
  })

  app.get('/control/apps/:appid/users/:openid/customer-service', async (req) => {
    const p = paramsOf(req)
    const { user } = findUser(ctx, p.appid, p.openid)
    return user.customerService
      .filter((m) => m.from === 'service')
      .map((m) => ({ ...m, receivedAt: new Date(m.receivedAt).toISOString() }))
  })
}
