// The dispatcher's one channel-dependent step: which WeChat call sends a claimed message. Everything
// around it (token, rate limit, classification of the answer, finishing) is the same for every channel.
// An official-account message goes to /cgi-bin/message/template/send with that account's token.
// A customer-service image named by wxpush's media id gets WeChat's media_id first (uploaded once,
// reused for 3 days), with the same access_token.
import type { CustomerMessageBody, SubscribeSendBody, WechatClient, WechatResult } from '@wxpush/wechat'
import type { ClaimedMessage } from '../messages/messages.store.ts'
import type { TokenSource } from '../tokens/tokens.retry.ts'
import type { Media } from './media.ts'

export type WechatSend = (accessToken: string) => Promise<WechatResult<{ msgid?: string }>>

export function createChannelCalls(deps: {
  wechat: WechatClient
  media: Media
  /** The linked official account's token (channels/official-account.ts). */
  officialAccountTokens: TokenSource
}) {
  const { wechat } = deps
  return {
    /** Whose access_token the call takes: the official account's for its messages, else the app's. */
    tokensFor(m: ClaimedMessage, appTokens: TokenSource): TokenSource {
      return m.channel === 'official_account' ? deps.officialAccountTokens : appTokens
    },

    callFor(m: ClaimedMessage, subscribeBody: SubscribeSendBody): WechatSend {
      if (m.channel === 'customer_service') {
        const content = m.content ?? {}
        const image = content.image as { mediaId?: string } | undefined
        return async (accessToken) => {
          let body = { ...content, touser: m.openid } as CustomerMessageBody
          if (image?.mediaId) {
            const media = await deps.media.wechatMediaId(m.app_id, image.mediaId, accessToken)
            if (!media.ok) return media.answer
            body = { touser: m.openid, msgtype: 'image', image: { media_id: media.mediaId } }
          }
          return wechat.sendCustomerMessage({ accessToken, body })
        }
      }
      if (m.channel === 'official_account') {
        // touser is the follower's openid in the official account; url / miniprogram come from content.
        const { touser, template_id, data } = subscribeBody
        const body = { ...(m.content ?? {}), touser, template_id, data }
        return (accessToken) => wechat.sendOfficialAccountTemplate({ accessToken, body })
      }
      return (accessToken) => wechat.sendSubscribeMessage({ accessToken, body: subscribeBody })
    },
  }
}

export type ChannelCalls = ReturnType<typeof createChannelCalls>
