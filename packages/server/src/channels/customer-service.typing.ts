// POST /v1/users/:id/typing {command: "Typing" | "CancelTyping"}: shows "typing…" in the user's
// customer-service chat. Sent at once (not through the outbox: it means nothing later). wxpush refuses
// it itself when the window is closed (WeChat would answer 45015); WeChat's own rules (an exchange
// within 30 s, 45080; already typing for 15 s, 45081) come back as 409 channels.typing_refused.
import { customerServiceWindowState, describeErrcode, type WechatClient } from '@wxpush/wechat'
import type { Db } from '../db/db.ts'
import { requestInvalid } from '../http/http.errors.ts'
import type { TokenProvider } from '../tokens/tokens.provider.ts'
import { withTokenRetry } from '../tokens/tokens.retry.ts'
import { userNotFound } from '../users/users.errors.ts'
import { typingRefused, wechatFailed, windowClosed } from './channels.errors.ts'
import type { CustomerServiceStore } from './customer-service.store.ts'

const COMMANDS = ['Typing', 'CancelTyping'] as const

export function createTyping(deps: {
  db: Db
  store: CustomerServiceStore
  tokens: TokenProvider
  wechat: WechatClient
}) {
  const { db } = deps
  return async function typing(appId: string, userId: string, command: unknown) {
    if (typeof command !== 'string' || !(COMMANDS as readonly string[]).includes(command))
      throw requestInvalid({ field: 'command', rule: 'one_of', allowed: COMMANDS })
    const user = await db
      .selectFrom('users')
      .select(['id', 'openid'])
      .where('app_id', '=', appId)
      .where('id', '=', userId)
      .executeTakeFirst()
    if (!user) throw userNotFound({ id: userId })
    const w = await deps.store.window(db, user.id)
    const untilMs = w?.open_until ? new Date(w.open_until).getTime() : 0
    if (customerServiceWindowState({ left: 1, untilMs }, Date.now()) === 'closed')
      throw windowClosed({ closedAt: untilMs > 0 ? new Date(untilMs).toISOString() : null })
    const send = (accessToken: string) =>
      deps.wechat.setTyping({
        accessToken,
        touser: user.openid,
        command: command as (typeof COMMANDS)[number],
      })
    const answer = await withTokenRetry(deps.tokens, appId, send)
    if (answer.ok) return { userId: user.id, command }
    if (answer.errcode === 45080 || answer.errcode === 45081 || answer.errcode === 45015)
      throw typingRefused({ errcode: answer.errcode, reason: describeErrcode(answer.errcode).reason })
    throw wechatFailed({ errcode: answer.errcode, reason: describeErrcode(answer.errcode).reason })
  }
}

export type Typing = ReturnType<typeof createTyping>
