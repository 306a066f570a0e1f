// The linked official account's side (an app's fallback route, docs/channels.md): its template
// message (/cgi-bin/message/template/send, what the uniform message's mp half became) and the follower
// list with unionids (/cgi-bin/user/get, /cgi-bin/user/info/batchget). Every call takes the official
// account's own access_token, not the mini program's.

import { WECHAT_PATHS } from '../facts.ts'
import type { Transport } from './transport.ts'
import { str, toResult, type WechatResult } from './result.ts'

export interface OfficialAccountTemplateBody {
  /** The follower's openid in the official account (not the mini program's). */
  touser: string
  template_id: string
  url?: string
  miniprogram?: { appid: string; pagepath?: string }
  data: Record<string, { value: string; color?: string }>
}

export interface OfficialAccountFollowerInfo {
  openid: string
  /** 1: follows the account now; 0: does not (and WeChat tells nothing else). */
  subscribe: 0 | 1
  unionid?: string
}

/** At most 100 openids per user/info/batchget call. */
export const OFFICIAL_ACCOUNT_BATCH_MAX = 100

export function officialAccountApi(transport: Transport) {
  return {
    async sendOfficialAccountTemplate(p: {
      accessToken: string
      body: OfficialAccountTemplateBody
    }): Promise<WechatResult<{ msgid?: string }>> {
      const path = WECHAT_PATHS.officialAccountTemplateSend
      const raw = await transport.call({
        method: 'POST',
        path,
        query: { access_token: p.accessToken },
        body: p.body,
      })
      return toResult(raw, path, (r) => {
        const msgid = str(r.msgid)
        return msgid !== undefined ? { msgid } : {}
      })
    },
    /** One page of followers' openids (up to 10 000), from `nextOpenid` ('' first). */
    async listOfficialAccountFollowers(p: {
      accessToken: string
      nextOpenid: string
    }): Promise<WechatResult<{ openids: string[]; nextOpenid: string; total: number }>> {
      const path = WECHAT_PATHS.officialAccountFollowers
      const raw = await transport.call({
        method: 'GET',
        path,
        query: { access_token: p.accessToken, next_openid: p.nextOpenid },
      })
      return toResult(raw, path, (r) => {
        const data = r.data as { openid?: unknown } | undefined
        const openids = Array.isArray(data?.openid) ? data.openid.map(String) : []
        return {
          openids,
          nextOpenid: typeof r.next_openid === 'string' ? r.next_openid : '',
          total: Number(r.total ?? 0),
        }
      })
    },
    async officialAccountUserInfo(p: {
      accessToken: string
      openids: string[]
    }): Promise<WechatResult<{ users: OfficialAccountFollowerInfo[] }>> {
      const path = WECHAT_PATHS.officialAccountUserInfoBatch
      const raw = await transport.call({
        method: 'POST',
        path,
        query: { access_token: p.accessToken },
        body: { user_list: p.openids.map((openid) => ({ openid, lang: 'zh_CN' })) },
      })
      return toResult(raw, path, (r) => {
        const list = Array.isArray(r.user_info_list) ? (r.user_info_list as Record<string, unknown>[]) : []
        return {
          users: list.map((u) => ({
            openid: String(u.openid),
            subscribe: u.subscribe === 1 ? 1 : 0,
            ...(typeof u.unionid === 'string' ? { unionid: u.unionid } : {}),
          })),
        }
      })
    },
  }
}
