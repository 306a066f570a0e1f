// Every failure the client reports is a WxpushError: the service's own error ({error: {code, message,
// details}}, codes in docs/errors.md), or the SDK's for what never got an answer (sdk.network,
// sdk.timeout) or an answer that is not the service's (sdk.bad_answer).
export class WxpushError extends Error {
  /** HTTP status, or 0 when no answer came. */
  readonly status: number
  readonly code: string
  readonly details: Record<string, unknown>

  constructor(p: {
    status: number
    code: string
    message: string
    details?: Record<string, unknown>
    cause?: unknown
  }) {
    super(`${p.code}: ${p.message}`, p.cause === undefined ? undefined : { cause: p.cause })
    this.name = 'WxpushError'
    this.status = p.status
    this.code = p.code
    this.details = p.details ?? {}
  }
}
