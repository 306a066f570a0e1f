// The dispatcher's one channel-dependent step: which WeChat call sends a claimed message. Everything
// around it (token, rate limit, classification of the answer, finishing) is the same for every channel.
import type { CustomerMessageBody, SubscribeSendBody, WechatClient, WechatResult } from '@wxpush/wechat'
import type { ClaimedMessage } from '../messages/messages.store.ts'

export type WechatSend = (accessToken: string) => Promise<WechatResult<{ msgid?: string }>>

export function wechatCallFor(
  wechat: WechatClient,
  m: ClaimedMessage,
  subscribeBody: SubscribeSendBody,
): WechatSend {
  if (m.channel === 'customer_service') {
    const body = { ...m.content, touser: m.openid } as CustomerMessageBody
    return (accessToken) => wechat.sendCustomerMessage({ accessToken, body })
  }
  return (accessToken) => wechat.sendSubscribeMessage({ accessToken, body: subscribeBody })
}
