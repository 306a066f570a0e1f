// access_token (classic and stable) and the login code exchange. Sources: docs/wechat.md §1–2.

import { WECHAT_PATHS } from '../facts.ts'
import type { Transport } from './transport.ts'
import { num, str, toResult, type WechatResult } from './result.ts'

export type AccessTokenResult = WechatResult<{ accessToken: string; expiresIn: number }>

function pickToken(raw: Record<string, unknown>): { accessToken: string; expiresIn: number } | undefined {
  const accessToken = str(raw['access_token'])
  const expiresIn = num(raw['expires_in'])
  if (accessToken === undefined || expiresIn === undefined) return undefined
  return { accessToken, expiresIn }
}

export function authApi(transport: Transport) {
  return {
    /** Classic token: every call invalidates the previous token after a 5-minute grace. Prefer the stable one. */
    async getAccessToken(p: { appid: string; secret: string }): Promise<AccessTokenResult> {
      const path = WECHAT_PATHS.token
      const raw = await transport.call({
        method: 'GET',
        path,
        query: { grant_type: 'client_credential', appid: p.appid, secret: p.secret },
      })
      return toResult(raw, path, pickToken)
    },

    /** Stable token: the same token while valid; `expiresIn` is the remaining lifetime (≥ 300 s). */
    async getStableAccessToken(p: {
      appid: string
      secret: string
      forceRefresh?: boolean
    }): Promise<AccessTokenResult> {
      const path = WECHAT_PATHS.stableToken
      const raw = await transport.call({
        method: 'POST',
        path,
        body: {
          grant_type: 'client_credential',
          appid: p.appid,
          secret: p.secret,
          force_refresh: p.forceRefresh ?? false,
        },
      })
      return toResult(raw, path, pickToken)
    },

    /** Exchanges a wx.login code (single use, valid 5 minutes) for the openid and session_key. GET only. */
    async code2Session(p: {
      appid: string
      secret: string
      code: string
    }): Promise<WechatResult<{ openid: string; sessionKey: string; unionid?: string }>> {
      const path = WECHAT_PATHS.jscode2session
      const raw = await transport.call({
        method: 'GET',
        path,
        query: { appid: p.appid, secret: p.secret, js_code: p.code, grant_type: 'authorization_code' },
      })
      return toResult(raw, path, (r) => {
        const openid = str(r['openid'])
        const sessionKey = str(r['session_key'])
        if (openid === undefined || sessionKey === undefined) return undefined
        const unionid = str(r['unionid'])
        return unionid === undefined ? { openid, sessionKey } : { openid, sessionKey, unionid }
      })
    },
  }
}
