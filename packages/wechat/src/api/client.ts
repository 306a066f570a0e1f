// The WeChat server API client: one undici keep-alive pool, one method per endpoint. Transport failures
// throw WechatTransportError; WeChat's errcodes come back as { ok: false } results and never throw.

import type { WechatResult } from './result.ts'
import { createTransport } from './transport.ts'
import { authApi } from './auth.api.ts'
import { subscribeApi } from './subscribe.api.ts'
import { templatesApi } from './templates.api.ts'
import { customerApi } from './customer.api.ts'
import { officialAccountApi } from './official-account.api.ts'

export interface WechatClientOptions {
  /** Default WECHAT_BASE_URL (https://api.weixin.qq.com); point it at the simulator in development and tests. */
  baseUrl?: string
  /** Connect, headers and body timeout each, in milliseconds. Default 10 000. */
  timeoutMs?: number
  /** Keep-alive pool size per origin. Default 64. */
  connections?: number
}

type AuthApi = ReturnType<typeof authApi>
type SubscribeApi = ReturnType<typeof subscribeApi>
type TemplatesApi = ReturnType<typeof templatesApi>
type CustomerApi = ReturnType<typeof customerApi>
type OfficialAccountApi = ReturnType<typeof officialAccountApi>

/** One method per WeChat endpoint; see each api file for the endpoint's facts. */
export interface WechatClient extends AuthApi, SubscribeApi, TemplatesApi, CustomerApi, OfficialAccountApi {
  /** Closes the keep-alive pool; waits for requests in flight. */
  close(): Promise<void>
}

/**
 * Creates a client for WeChat's server API (or the simulator, via `baseUrl`).
 *
 * @example
 * const wechat = createWechatClient({ baseUrl: 'http://127.0.0.1:4010' })
 * const token = await wechat.getStableAccessToken({ appid, secret })
 * if (!token.ok) console.log(describeErrcode(token.errcode).zh)
 * else {
 *   const sent = await wechat.sendSubscribeMessage({
 *     accessToken: token.accessToken,
 *     body: { touser: openid, template_id: tmplId, data: { thing1: { value: '合同A' } } },
 *   })
 *   if (sent.ok) console.log(sent.msgid) // '1988810812324364291', a string
 * }
 * await wechat.close()
 */
export function createWechatClient(opts: WechatClientOptions = {}): WechatClient {
  const transport = createTransport(opts)
  return {
    ...authApi(transport),
    ...subscribeApi(transport),
    ...templatesApi(transport),
    ...customerApi(transport),
    ...officialAccountApi(transport),
    close: () => transport.close(),
  }
}

export type { WechatResult }
