// WeChat answers every failure with HTTP 200 and { errcode, errmsg }; successes sometimes carry no errcode
// at all (/cgi-bin/token, /sns/jscode2session), which counts as 0.

import { WechatTransportError } from './transport-error.ts'

export type WechatOk<T> = { ok: true; errcode: 0; errmsg: string } & T
export type WechatFail = { ok: false; errcode: number; errmsg: string }
/** A WeChat answer: `ok: true` with the typed fields, or `ok: false` with WeChat's errcode. */
export type WechatResult<T> = WechatOk<T> | WechatFail

function readErrcode(raw: Record<string, unknown>): number {
  const code = raw['errcode']
  if (code === undefined || code === null) return 0
  const n = typeof code === 'number' ? code : Number(code)
  return Number.isFinite(n) ? n : -1
}

/**
 * Turns a parsed WeChat answer into a result. `pick` reads the success fields; when it answers undefined the
 * body claimed success but lacks what success carries, which is a bad body, not a WeChat error.
 */
export function toResult<T extends object>(
  raw: Record<string, unknown>,
  path: string,
  pick: (raw: Record<string, unknown>) => T | undefined,
): WechatResult<T> {
  const errcode = readErrcode(raw)
  const errmsg = typeof raw['errmsg'] === 'string' ? raw['errmsg'] : errcode === 0 ? 'ok' : ''
  if (errcode !== 0) return { ok: false, errcode, errmsg }
  const fields = pick(raw)
  if (fields === undefined) {
    throw new WechatTransportError({ kind: 'bad_body', requestSent: true, path, detail: 'missing fields' })
  }
  return { ...fields, ok: true, errcode: 0, errmsg }
}

export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v
  if (typeof v === 'number' && Number.isFinite(v)) return String(v)
  return undefined
}

export function num(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN
  return Number.isFinite(n) ? n : undefined
}

export function list(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v)
    ? v.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null)
    : []
}
