// Subscription message send. Source: docs/wechat.md §3. The answer's msgid is a 64-bit integer that
// the transport keeps as an exact string; a small one (a simulator, say) is turned into a string here.

import { WECHAT_PATHS } from '../facts.ts'
import type { Transport } from './transport.ts'
import { str, toResult, type WechatResult } from './result.ts'

export interface SubscribeSendBody {
  /** The receiver's openid (of this appid, else 40003). */
  touser: string
  /** The private template id (priTmplId). */
  template_id: string
  /** A page of this mini program without a leading '/', a query allowed; omitted → the card does not jump. */
  page?: string
  /** Keys as in the template content without '.DATA': { thing1: { value: '…' } }. */
  data: Record<string, { value: string }>
  miniprogram_state?: 'developer' | 'trial' | 'formal'
  lang?: 'zh_CN' | 'en_US' | 'zh_HK' | 'zh_TW'
}

export function subscribeApi(transport: Transport) {
  return {
    /** Not idempotent: a timeout or -1 may still have been delivered. */
    async sendSubscribeMessage(p: {
      accessToken: string
      body: SubscribeSendBody
    }): Promise<WechatResult<{ msgid?: string }>> {
      const path = WECHAT_PATHS.subscribeSend
      const raw = await transport.call({
        method: 'POST',
        path,
        query: { access_token: p.accessToken },
        body: p.body,
      })
      return toResult(raw, path, (r) => {
        const msgid = str(r['msgid'])
        return msgid === undefined ? {} : { msgid }
      })
    },
  }
}
