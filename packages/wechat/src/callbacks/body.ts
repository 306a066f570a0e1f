// Reading a push body, JSON or XML, into a plain object. XML from the network is parsed with entity and
// DOCTYPE processing off (no XXE, no entity expansion bombs) and with a size cap; values stay strings, so
// 64-bit MsgIds survive. JSON goes through the lossless parser for the same reason.

import { XMLParser } from 'fast-xml-parser'
import { parseJsonLossless } from '../lossless-json.ts'

/** WeChat pushes are a few KiB; anything far bigger is not a push. */
export const MAX_CALLBACK_BODY_BYTES = 256 * 1024

export type CallbackParseErrorCode =
  'too_large' | 'doctype_refused' | 'bad_json' | 'bad_xml' | 'not_an_object'

const CODE_TEXT: Record<CallbackParseErrorCode, string> = {
  too_large: '消息体过大 / Body too large',
  doctype_refused: '拒绝包含 DOCTYPE 或实体声明的 XML / XML with a DOCTYPE or entity declaration is refused',
  bad_json: '消息体不是有效的 JSON / Body is not valid JSON',
  bad_xml: '消息体不是有效的 XML / Body is not valid XML',
  not_an_object: '消息体不是一个对象 / Body is not an object',
}

export class CallbackParseError extends Error {
  override readonly name = 'CallbackParseError'
  readonly code: CallbackParseErrorCode
  constructor(code: CallbackParseErrorCode) {
    super(CODE_TEXT[code])
    this.code = code
  }
}

const xml = new XMLParser({
  ignoreAttributes: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
})

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function parseXml(body: string): Record<string, unknown> {
  // Refuse outright rather than trust the parser to ignore them: WeChat never sends either.
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) throw new CallbackParseError('doctype_refused')
  let parsed: unknown
  try {
    parsed = xml.parse(body, true)
  } catch {
    throw new CallbackParseError('bad_xml')
  }
  if (!isPlainObject(parsed)) throw new CallbackParseError('bad_xml')
  // WeChat wraps every push in <xml>…</xml>.
  const root = parsed['xml'] ?? parsed
  if (!isPlainObject(root)) throw new CallbackParseError('not_an_object')
  return root
}

/**
 * Parses a push body (JSON or XML, by content type or by its first character) into a plain object.
 *
 * @example
 * const raw = parseCallbackBody({ body: req.body, contentType: req.headers['content-type'] })
 * const event = toCallbackEvent(raw)
 */
export function parseCallbackBody(p: { body: string; contentType?: string }): Record<string, unknown> {
  const body = typeof p.body === 'string' ? p.body : ''
  if (Buffer.byteLength(body, 'utf8') > MAX_CALLBACK_BODY_BYTES) throw new CallbackParseError('too_large')
  const text = body.replace(/^\uFEFF/, '').trim()
  const type = (p.contentType ?? '').toLowerCase()
  const looksXml = type.includes('xml') || (!type.includes('json') && text.startsWith('<'))
  if (looksXml) return parseXml(text)
  let parsed: unknown
  try {
    parsed = parseJsonLossless(text)
  } catch {
    throw new CallbackParseError('bad_json')
  }
  if (!isPlainObject(parsed)) throw new CallbackParseError('not_an_object')
  return parsed
}
