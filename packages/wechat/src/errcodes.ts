// WeChat's numeric errcodes as data: what each means, what kind of failure it is for a dispatcher, and the
// terminal reason wxpush records. The rows live in errcodes.platform.ts and errcodes.messaging.ts.

import { PLATFORM_ERRCODE_ROWS } from './errcodes.platform.ts'
import { MESSAGING_ERRCODE_ROWS } from './errcodes.messaging.ts'

export type ErrcodeKind = 'ok' | 'retry' | 'token' | 'user_refused' | 'permanent' | 'quota'

/** One catalogue row: code, kind, reason, the endpoints that answer it, zh, en. */
export type ErrcodeRow = readonly [
  code: number,
  kind: ErrcodeKind,
  reason: string,
  apis: readonly string[],
  zh: string,
  en: string,
]

export interface ErrcodeInfo {
  errcode: number
  kind: ErrcodeKind
  /** Our terminal reason in snake_case, e.g. 'user_refused' (43101), 'content_invalid' (47003). */
  reason: string
  zh: string
  /** Tells the developer what to do. */
  en: string
  /** Which endpoints answer it ('*' = any endpoint that takes an access_token). */
  apis: string[]
}

export const ERRCODES: readonly ErrcodeInfo[] = Object.freeze(
  [...PLATFORM_ERRCODE_ROWS, ...MESSAGING_ERRCODE_ROWS].map(([errcode, kind, reason, apis, zh, en]) =>
    Object.freeze({ errcode, kind, reason, zh, en, apis: [...apis] }),
  ),
)

const BY_CODE = new Map(ERRCODES.map((info) => [info.errcode, info]))

/** The codes after which a fresh access_token and one retry may succeed (as WxJava's ACCESS_TOKEN_ERROR_CODES). */
export const TOKEN_ERRCODES: ReadonlySet<number> = new Set([40001, 40014, 42001])

/**
 * Answers of the token endpoints (/cgi-bin/token, /cgi-bin/stable_token) that refuse the AppSecret itself:
 * 40001 there means "AppSecret wrong or not this app's" (official getAccessToken table), 40125 invalid
 * appsecret, 40243 frozen. Asking again cannot succeed until the secret changes; it only burns the quota.
 */
export const SECRET_REFUSED_ERRCODES: ReadonlySet<number> = new Set([40001, 40125, 40243])

/**
 * Describes a WeChat errcode. An unknown code is 'permanent' with the reason 'wechat_error'.
 *
 * @example
 * describeErrcode(43101) // → { kind: 'user_refused', reason: 'user_refused', zh: '用户拒绝接收…', … }
 * describeErrcode(99999).reason // → 'wechat_error'
 */
export function describeErrcode(errcode: number): ErrcodeInfo {
  const known = BY_CODE.get(errcode)
  if (known !== undefined) return { ...known, apis: [...known.apis] }
  return {
    errcode,
    kind: 'permanent',
    reason: 'wechat_error',
    zh: `微信返回了未收录的错误码 ${errcode}：请查看 errmsg 及其中的 rid`,
    en: `WeChat answered errcode ${errcode}, which is not catalogued: read the errmsg and its rid`,
    apis: [],
  }
}
