// WeChat's wire format: HTTP 200, `Content-Type: application/json; encoding=utf-8`, errors as
// `{"errcode":N,"errmsg":"… rid: xxxxxxxx-xxxxxxxx-xxxxxxxx"}`. Bodies are written as text so that
// 64-bit ids (msgid) can be bare JSON numbers beyond 2^53.
import type { FastifyRequest } from 'fastify'
import type { SimContext } from '../context.ts'
import { errmsgText, rid } from './errmsg.ts'

export interface Answer {
  errcode: number
  body: string
  /** A file instead of JSON (media/get). */
  file?: { contentType: string; bytes: Buffer }
}

export function wxError(ctx: SimContext, errcode: number, detail?: string): Answer {
  const text = detail === undefined ? errmsgText(errcode) : `${errmsgText(errcode)} ${detail}`
  return { errcode, body: JSON.stringify({ errcode, errmsg: `${text} ${rid(ctx.clock.now())}` }) }
}

/** An error with the whole errmsg text given (the rid is still appended). */
export function wxErrorText(ctx: SimContext, errcode: number, text: string): Answer {
  return { errcode, body: JSON.stringify({ errcode, errmsg: `${text} ${rid(ctx.clock.now())}` }) }
}

/** A success body without errcode (token, jscode2session). */
export function bare(value: object): Answer {
  return { errcode: 0, body: JSON.stringify(value) }
}

/** `{"errcode":0,"errmsg":"ok", …value}`. */
export function ok(value: object = {}): Answer {
  return { errcode: 0, body: JSON.stringify({ errcode: 0, errmsg: 'ok', ...value }) }
}

export type JsonBody = { ok: true; value: Record<string, unknown> } | { ok: false; answer: Answer }

/** The POST body as a JSON object: empty → 44002, not JSON → 47001 (WeChat ignores the content type). */
export function readJson(ctx: SimContext, req: FastifyRequest): JsonBody {
  const raw = req.body
  if (raw !== null && typeof raw === 'object' && !Buffer.isBuffer(raw)) {
    return { ok: true, value: raw as Record<string, unknown> }
  }
  const text = typeof raw === 'string' ? raw : Buffer.isBuffer(raw) ? raw.toString('utf8') : ''
  if (text.trim() === '') return { ok: false, answer: wxError(ctx, 44002) }
  try {
    const value: unknown = JSON.parse(text)
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return { ok: false, answer: wxError(ctx, 47001) }
    }
    return { ok: true, value: value as Record<string, unknown> }
  } catch {
    return { ok: false, answer: wxError(ctx, 47001) }
  }
}

export function queryOf(req: FastifyRequest): Record<string, string | undefined> {
  return req.query as Record<string, string | undefined>
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined
}
