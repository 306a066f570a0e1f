// Control API: the user writes to customer service or enters the session (opening the window and
// pushing the message or `user_enter_tempsession` to the callback); what customer service sent them.
import type { FastifyInstance } from 'fastify'
import { enterSessionEvent, textMessageEvent } from '../callbacks/event-factories.ts'
import type { SimContext } from '../context.ts'
import { CS_ENTER_SESSION, CS_USER_MESSAGE, openWindow } from '../wechat-api/customer-service.ts'
import { bodyOf, findUser, paramsOf } from './control-errors.ts'

export function registerCustomerControl(ctx: SimContext, app: FastifyInstance): void {
  app.post('/control/apps/:appid/users/:openid/messages', async (req) => {
    const p = paramsOf(req)
    const { app: a, user } = findUser(ctx, p.appid, p.openid)
    const b = bodyOf(req)
    const now = ctx.clock.now()
    const msgid = ctx.world.nextMsgid()
    openWindow(user, now, CS_USER_MESSAGE)
    ctx.callbacks.push(
      a,
      textMessageEvent(a, user, now, typeof b.content === 'string' ? b.content : '你好', msgid),
    )
    return { msgid, windowLeft: user.csLeft, windowUntil: new Date(user.csDeadline).toISOString() }
  })

  app.post('/control/apps/:appid/users/:openid/enter-session', async (req) => {
    const p = paramsOf(req)
    const { app: a, user } = findUser(ctx, p.appid, p.openid)
    const b = bodyOf(req)
    const now = ctx.clock.now()
    openWindow(user, now, CS_ENTER_SESSION)
    ctx.callbacks.push(
      a,
      enterSessionEvent(a, user, now, typeof b.sessionFrom === 'string' ? b.sessionFrom : ''),
    )
    return { windowLeft: user.csLeft, windowUntil: new Date(user.csDeadline).toISOString() }
  })

  app.get('/control/apps/:appid/users/:openid/customer-service', async (req) => {
    const p = paramsOf(req)
    const { user } = findUser(ctx, p.appid, p.openid)
    return user.customerService.map((m) => ({ ...m, receivedAt: new Date(m.receivedAt).toISOString() }))
  })
}
