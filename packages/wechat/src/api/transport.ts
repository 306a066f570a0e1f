// One keep-alive undici Pool per client, pointed at one origin (WeChat or the simulator). Every WeChat call
// is a small JSON request, so we read the body as text and parse it ourselves (64-bit ids stay strings).

import { randomBytes } from 'node:crypto'
import { Pool } from 'undici'
import { WECHAT_BASE_URL } from '../facts.ts'
import { parseJsonLossless } from '../lossless-json.ts'
import { WechatTransportError, redactSecrets } from './transport-error.ts'

export interface TransportOptions {
  baseUrl?: string
  timeoutMs?: number
  connections?: number
}

export interface WechatRequest {
  method: 'GET' | 'POST'
  path: string
  query?: Record<string, string | number | boolean | undefined>
  body?: unknown
  /** A file sent as multipart/form-data instead of a JSON body (media upload). */
  file?: { field: string; filename: string; contentType: string; bytes: Buffer }
}

function multipart(file: NonNullable<WechatRequest['file']>): { contentType: string; body: Buffer } {
  const boundary = `----wxpush${randomBytes(12).toString('hex')}`
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\n` +
    `Content-Type: ${file.contentType}\r\n\r\n`
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: Buffer.concat([Buffer.from(head), file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
  }
}

export interface Transport {
  /** Sends one request and answers the parsed JSON object; throws WechatTransportError otherwise. */
  call(request: WechatRequest): Promise<Record<string, unknown>>
  close(): Promise<void>
}

// Answers bigger than this are not WeChat JSON answers (the largest, gettemplate, is a few tens of KiB).
const MAX_BODY_BYTES = 4 * 1024 * 1024

// Errors raised before any byte of the request could reach WeChat: a retry cannot deliver twice.
const CONNECT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
])
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined
  const code = (err as { code?: unknown }).code
  if (typeof code === 'string') return code
  return errorCode((err as { cause?: unknown }).cause)
}

/** A copy of the undici error that keeps its code but cannot leak a URL with a token in it. */
function safeCause(err: unknown): Error {
  const message = err instanceof Error ? err.message : String(err)
  const copy = new Error(redactSecrets(message))
  const code = errorCode(err)
  if (code !== undefined) Object.assign(copy, { code })
  return copy
}

function toTransportError(err: unknown, path: string): WechatTransportError {
  if (err instanceof WechatTransportError) return err
  const code = errorCode(err)
  const cause = safeCause(err)
  if (code !== undefined && CONNECT_CODES.has(code)) {
    return new WechatTransportError({ kind: 'connect', requestSent: false, path, detail: code, cause })
  }
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    return new WechatTransportError({ kind: 'timeout', requestSent: true, path, detail: code, cause })
  }
  // A reset or close after connecting: the request may have been written, so assume it was.
  return new WechatTransportError({
    kind: 'connect',
    requestSent: true,
    path,
    detail: code ?? 'socket error',
    cause,
  })
}

function buildQuery(query: WechatRequest['query']): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) params.append(key, String(value))
  }
  const text = params.toString()
  return text === '' ? '' : `?${text}`
}

export function createTransport(opts: TransportOptions = {}): Transport {
  const base = new URL(opts.baseUrl ?? WECHAT_BASE_URL)
  const prefix = base.pathname.replace(/\/+$/, '')
  const timeoutMs = opts.timeoutMs ?? 10_000
  const pool = new Pool(base.origin, {
    connections: opts.connections ?? 64,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connect: { timeout: timeoutMs },
    keepAliveTimeout: 30_000,
  })

  async function call(request: WechatRequest): Promise<Record<string, unknown>> {
    const path = request.path
    let status: number
    let text: string
    try {
      const upload = request.file ? multipart(request.file) : undefined
      const res = await pool.request({
        method: request.method,
        path: `${prefix}${path}${buildQuery(request.query)}`,
        headers: upload
          ? { accept: 'application/json', 'content-type': upload.contentType }
          : request.body === undefined
            ? { accept: 'application/json' }
            : { accept: 'application/json', 'content-type': 'application/json; charset=utf-8' },
        ...(upload
          ? { body: upload.body }
          : request.body === undefined
            ? {}
            : { body: JSON.stringify(request.body) }),
      })
      status = res.statusCode
      if (status < 200 || status > 299) {
        // Drain so the keep-alive socket can be reused.
        await res.body.dump().catch(() => undefined)
        throw new WechatTransportError({ kind: 'http_status', requestSent: true, path, status })
      }
      const chunks: Buffer[] = []
      let size = 0
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        size += chunk.length
        if (size > MAX_BODY_BYTES) {
          res.body.destroy()
          throw new WechatTransportError({
            kind: 'bad_body',
            requestSent: true,
            path,
            status,
            detail: 'too large',
          })
        }
        chunks.push(chunk)
      }
      text = Buffer.concat(chunks).toString('utf8')
    } catch (err) {
      throw toTransportError(err, path)
    }
    let parsed: unknown
    try {
      parsed = parseJsonLossless(text)
    } catch {
      throw new WechatTransportError({
        kind: 'bad_body',
        requestSent: true,
        path,
        status,
        detail: 'not JSON',
      })
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new WechatTransportError({
        kind: 'bad_body',
        requestSent: true,
        path,
        status,
        detail: 'not an object',
      })
    }
    return parsed as Record<string, unknown>
  }

  return {
    call,
    close: () => pool.close(),
  }
}
