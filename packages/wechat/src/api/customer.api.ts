// Customer-service messages (§7) and the retired template / uniform messages (§8). The retired endpoints are
// typed for teams maintaining old code; they answer whatever WeChat answers (48001, 45109 today).

import { WECHAT_PATHS } from '../facts.ts'
import type { Transport } from './transport.ts'
import { toResult, type WechatResult } from './result.ts'

export type CustomerMessageBody =
  | { touser: string; msgtype: 'text'; text: { content: string } }
  | { touser: string; msgtype: 'image'; image: { media_id: string } }
  | {
      touser: string
      msgtype: 'link'
      link: { title: string; description: string; url: string; thumb_url: string }
    }
  | {
      touser: string
      msgtype: 'miniprogrampage'
      miniprogrampage: { title: string; pagepath: string; thumb_media_id: string }
    }

export interface LegacyTemplateMessageBody {
  touser: string
  template_id: string
  page?: string
  form_id: string
  data: Record<string, { value: string; color?: string }>
  emphasis_keyword?: string
}

export interface UniformMessageBody {
  touser: string
  weapp_template_msg?: {
    template_id: string
    page?: string
    form_id: string
    data: Record<string, { value: string; color?: string }>
    emphasis_keyword?: string
  }
  mp_template_msg?: {
    appid: string
    template_id: string
    url?: string
    miniprogram?: { appid: string; pagepath?: string }
    data: Record<string, { value: string; color?: string }>
  }
}

export function customerApi(transport: Transport) {
  async function post(path: string, accessToken: string, body: unknown): Promise<WechatResult<object>> {
    const raw = await transport.call({ method: 'POST', path, query: { access_token: accessToken }, body })
    return toResult(raw, path, () => ({}))
  }
  return {
    /** Allowed 5 times within 48 h of the user's last message, or 2 within 1 min of entering the session. */
    sendCustomerMessage(p: {
      accessToken: string
      body: CustomerMessageBody
    }): Promise<WechatResult<object>> {
      return post(WECHAT_PATHS.customSend, p.accessToken, p.body)
    },
    /** Shows or cancels "typing…" in the customer-service session. */
    setTyping(p: {
      accessToken: string
      touser: string
      command: 'Typing' | 'CancelTyping'
    }): Promise<WechatResult<object>> {
      return post(WECHAT_PATHS.customTyping, p.accessToken, { touser: p.touser, command: p.command })
    },
    /** Uploads an image as temporary media (mini programs: images only); the media_id lasts 3 days. */
    async uploadTempImage(p: {
      accessToken: string
      bytes: Buffer
      contentType: string
    }): Promise<WechatResult<{ mediaId: string; createdAt: number }>> {
      const raw = await transport.call({
        method: 'POST',
        path: WECHAT_PATHS.mediaUpload,
        query: { access_token: p.accessToken, type: 'image' },
        file: { field: 'media', filename: 'image', contentType: p.contentType, bytes: p.bytes },
      })
      return toResult(raw, WECHAT_PATHS.mediaUpload, (r) =>
        typeof r.media_id === 'string' && r.media_id !== ''
          ? { mediaId: r.media_id, createdAt: Number(r.created_at ?? 0) }
          : undefined,
      )
    },
    /** Retired 2020-01-10 (answers 48001 since). */
    sendLegacyTemplateMessage(p: {
      accessToken: string
      body: LegacyTemplateMessageBody
    }): Promise<WechatResult<object>> {
      return post(WECHAT_PATHS.legacyTemplateSend, p.accessToken, p.body)
    },
    /** Retired 2023-09-20 (answers 45109 since). */
    sendUniformMessage(p: { accessToken: string; body: UniformMessageBody }): Promise<WechatResult<object>> {
      return post(WECHAT_PATHS.uniformSend, p.accessToken, p.body)
    },
  }
}
