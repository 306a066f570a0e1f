// Customer-service messages (docs/wechat.md §7): `/cgi-bin/message/custom/send` within the
// window a user action opened — 5 messages / 48 h after the user's message, 2 / 1 min after they
// enter the session; a new action resets the window to the larger of what is left and its own
// allowance (counts do not add up). Outside the window 45015, allowance used up 45047.
// `/custom/business/send` needs a businessid (40101 without). `/custom/typing` needs an open window and
// an exchange within 30 s (45080), shows 15 s and cannot be repeated meanwhile (45081).
import { WECHAT_PATHS } from '../wechat-facts.ts'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { SimContext } from '../context.ts'
import type { User } from '../world.ts'
import { type Answer, ok, readJson, str, wxError } from './answer.ts'
import { authenticate } from './auth.ts'
import { mediaUsable } from './media.ts'
import { authedRoute, wechatRoute } from './route.ts'

const BUSINESS_SEND = '/cgi-bin/message/custom/business/send'
const MSG_TYPES = new Set(['text', 'image', 'link', 'miniprogrampage'])

/** Typing needs a message either way within 30 s, lasts 15 s, cannot be repeated while it shows (§7.2). */
const TYPING_NEEDS_EXCHANGE_MS = 30_000
const TYPING_LASTS_MS = 15_000

export const CS_USER_MESSAGE = { count: 5, ttlMs: 48 * 3_600_000 }
export const CS_ENTER_SESSION = { count: 2, ttlMs: 60_000 }

/** A user action opens (or widens) the customer-service window. */
export function openWindow(user: User, nowMs: number, grant: { count: number; ttlMs: number }): void {
  const stillOpen = user.csDeadline > nowMs
  user.csLeft = Math.max(stillOpen ? user.csLeft : 0, grant.count)
  user.csDeadline = Math.max(stillOpen ? user.csDeadline : 0, nowMs + grant.ttlMs)
}

function send(ctx: SimContext, req: FastifyRequest, business: boolean): Answer {
  const auth = authenticate(ctx, req)
  if (!auth.app) return auth.answer
  const body = readJson(ctx, req)
  if (!body.ok) return body.answer
  const b = body.value
  if (business && (b.businessid === undefined || b.businessid === '')) return wxError(ctx, 40101)
  const user = auth.app.users.get(str(b.touser) ?? '')
  if (!user) return wxError(ctx, 40003)
  const msgtype = str(b.msgtype)
  if (
    msgtype === undefined ||
    !MSG_TYPES.has(msgtype) ||
    typeof b[msgtype] !== 'object' ||
    b[msgtype] === null
  ) {
    return wxError(ctx, 40008)
  }
  if (
    msgtype === 'image' &&
    !mediaUsable(ctx, auth.app, str((b.image as Record<string, unknown>).media_id) ?? '')
  )
    return wxError(ctx, 40007)
  const now = ctx.clock.now()
  if (user.csDeadline <= now) return wxError(ctx, 45015)
  if (user.csLeft <= 0) return wxError(ctx, 45047)
  user.csLeft--
  user.customerService.push({ msgtype, body: b[msgtype], receivedAt: now, from: 'service' })
  user.lastExchangeAt = now
  user.typingUntil = 0 // sending a message cancels "typing…"
  return ok()
}

export function registerCustomerServiceRoutes(ctx: SimContext, fastify: FastifyInstance): void {
  wechatRoute(ctx, fastify, { POST: (req) => send(ctx, req, false) }, WECHAT_PATHS.customSend)
  wechatRoute(ctx, fastify, { POST: (req) => send(ctx, req, true) }, BUSINESS_SEND)
  authedRoute(ctx, fastify, 'POST', WECHAT_PATHS.customTyping, (req, app) => {
    const body = readJson(ctx, req)
    if (!body.ok) return body.answer
    const user = app.users.get(str(body.value.touser) ?? '')
    if (!user) return wxError(ctx, 40003)
    const command = str(body.value.command)
    if (command !== 'Typing' && command !== 'CancelTyping') return wxError(ctx, 45072)
    const now = ctx.clock.now()
    if (user.csDeadline <= now) return wxError(ctx, 45015)
    if (command === 'CancelTyping') {
      user.typingUntil = 0
      return ok()
    }
    if (now - user.lastExchangeAt > TYPING_NEEDS_EXCHANGE_MS) return wxError(ctx, 45080)
    if (user.typingUntil > now) return wxError(ctx, 45081)
    user.typingUntil = now + TYPING_LASTS_MS
    return ok()
  })
}
