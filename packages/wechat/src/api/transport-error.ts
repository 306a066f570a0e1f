// A failure with no WeChat answer to read. WeChat's own errcodes never throw: they come back as
// { ok: false, errcode } results. `requestSent` tells the caller whether a send may have been delivered.

export type WechatTransportErrorKind = 'timeout' | 'connect' | 'http_status' | 'bad_body'

const KIND_TEXT: Record<WechatTransportErrorKind, { zh: string; en: string }> = {
  timeout: { zh: '微信接口请求超时', en: 'WeChat request timed out' },
  connect: { zh: '无法连接微信接口', en: 'Could not connect to WeChat' },
  http_status: { zh: '微信接口返回了非 2xx 的 HTTP 状态', en: 'WeChat answered a non-2xx HTTP status' },
  bad_body: { zh: '微信接口返回的内容无法解析', en: 'WeChat answered a body that could not be read' },
}

/** Removes secrets from any text that may carry a URL or query string. */
export function redactSecrets(text: string): string {
  return text.replace(
    /((?:access_token|secret|appsecret|js_code|session_key|component_access_token)=)[^&\s"']*/gi,
    '$1***',
  )
}

/**
 * Thrown when no usable WeChat answer arrived (timeout, connection failure, non-2xx, unreadable body).
 *
 * @example
 * try { await client.sendSubscribeMessage({ accessToken, body }) }
 * catch (err) { if (err instanceof WechatTransportError && err.requestSent) markOutcomeUnknown() }
 */
export class WechatTransportError extends Error {
  override readonly name = 'WechatTransportError'
  readonly kind: WechatTransportErrorKind
  /** True when the request may have reached WeChat, so a send may have been delivered. */
  readonly requestSent: boolean
  /** The WeChat path, never the query string (which carries the token or the secret). */
  readonly path: string
  readonly status?: number

  constructor(p: {
    kind: WechatTransportErrorKind
    requestSent: boolean
    path: string
    status?: number
    detail?: string
    cause?: unknown
  }) {
    const text = KIND_TEXT[p.kind]
    const where = redactSecrets(p.path.split('?')[0] ?? p.path)
    const status = p.status === undefined ? '' : ` (HTTP ${p.status})`
    const detail = p.detail === undefined ? '' : `: ${redactSecrets(p.detail)}`
    super(
      `${text.zh} / ${text.en}${status}: ${where}${detail}`,
      p.cause === undefined ? {} : { cause: p.cause },
    )
    this.kind = p.kind
    this.requestSent = p.requestSent
    this.path = where
    if (p.status !== undefined) this.status = p.status
  }
}
