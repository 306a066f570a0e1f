// The request half of message push: verify, decrypt, parse, store, and only then answer `success`.
// Nothing is parsed before `signature` and the timestamp window checked out, and nothing is written
// before, when encrypted, `msg_signature` and the appid inside the ciphertext did too; the worker acts
// on the stored row later (callbacks.worker.ts).
//
// Modes (docs/wechat.md §6.3), as configured per app:
//   plain       `signature` = sha1(sort(token, timestamp, nonce)); the body is the message
//   secure      `signature`, and `msg_signature` = sha1(sort(token, timestamp, nonce, Encrypt)); the
//               message is inside Encrypt
//   compatible  the transition mode: WeChat sends the plaintext fields and Encrypt side by side.
//               Only the encrypted part is verified and used; the plaintext beside it is ignored and
//               a push without Encrypt is refused (the URL signature alone does not cover the body)
//
// In every mode each (timestamp, nonce) is remembered for the timestamp window with a hash of the
// body: a retry (same body) passes, another body under the same pair is refused. Plain mode cannot do
// better: its signature does not cover the body, which is why secure mode is the default.
import { createHash } from 'node:crypto'
import {
  CallbackCryptoError,
  CallbackParseError,
  decryptMessage,
  msgSignature,
  parseCallbackBody,
  toCallbackEvent,
  urlSignature,
  verifySignature,
  type CallbackEvent,
} from '@wxpush/wechat'
import type { Db } from '../db/db.ts'
import type { CallbackConfigs, CallbackSettings } from './callbacks.config.ts'
import {
  callbackAppidMismatch,
  callbackBodyInvalid,
  callbackDecryptFailed,
  callbackModeMismatch,
  callbackNonceReused,
  callbackNotConfigured,
  callbackSignatureInvalid,
  callbackTimestampSkew,
} from './callbacks.errors.ts'
import type { CallbackFormat, CallbacksStore, NewCallbackEvent } from './callbacks.store.ts'

/** Real openids are 28 characters; anything far longer is not one (and would not fit an index). */
const MAX_OPENID = 128
const MAX_QUERY_VALUE = 256
/** Events that change the consent ledger: one user's are acted on in arrival order. */
const ORDERED_TYPES: ReadonlySet<string> = new Set([
  'subscribe_msg_popup_event',
  'subscribe_msg_change_event',
])

interface QueryParts {
  timestamp: string
  nonce: string
}

export interface PushRequest {
  appId: string
  query: Record<string, unknown>
  body: unknown
}

function queryValue(query: Record<string, unknown>, name: string): string | undefined {
  const v = query[name]
  return typeof v === 'string' && v.length <= MAX_QUERY_VALUE ? v : undefined
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex')

/** Text Postgres can store: no NUL, no lone surrogate (WeChat sends neither; a forger might). */
function storable(s: string): string {
  return s
    .replaceAll('\0', '\uFFFD')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
}

/**
 * WeChat: "有msgid的消息推荐使用msgid排重。事件类型消息推荐使用FromUserName + CreateTime 排重". One popup
 * may carry several templates and two events may share a second, so events also key on their type
 * and a hash of their content.
 */
export function dedupeKeyOf(event: CallbackEvent): string {
  if (event.type === 'user_message' && event.msgId) {
    return event.msgId.length <= 64 ? `msg:${event.msgId}` : `msg:h:${sha256(event.msgId)}`
  }
  const name = event.type === 'unknown' ? 'unknown' : event.type
  const hash = sha256(JSON.stringify(event))
  const key = `evt:${event.openid}:${event.createTime}:${name}:${hash}`
  return key.length <= 240 ? key : `evt:h:${sha256(key)}`
}

export function createCallbackReceiver(deps: {
  db: Db
  store: CallbacksStore
  configs: CallbackConfigs
  /** 0 turns the window off. */
  maxSkewS: number
  now?: () => number
  onStored?: () => void
}) {
  const now = deps.now ?? Date.now

  async function settingsOf(appId: string): Promise<CallbackSettings> {
    const settings = await deps.configs.load(appId)
    if (!settings) throw callbackNotConfigured({ appId })
    return settings
  }

  /**
   * `signature` (sha1 of token, timestamp, nonce) comes with every push, encrypted or not, so it is
   * checked before the body is even parsed; then the timestamp window.
   */
  function authenticate(settings: CallbackSettings, query: Record<string, unknown>): QueryParts {
    const timestamp = queryValue(query, 'timestamp')
    const nonce = queryValue(query, 'nonce')
    const given = queryValue(query, 'signature')
    if (timestamp === undefined || nonce === undefined || given === undefined)
      throw callbackSignatureInvalid({ field: 'signature' })
    const expected = urlSignature({ token: settings.token, timestamp, nonce })
    if (!verifySignature(expected, given.toLowerCase()))
      throw callbackSignatureInvalid({ field: 'signature' })
    if (deps.maxSkewS > 0) {
      const ts = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : NaN
      const skew = Math.abs(now() / 1000 - ts)
      if (!(skew <= deps.maxSkewS)) throw callbackTimestampSkew({ maxSkewS: deps.maxSkewS })
    }
    return { timestamp, nonce }
  }

  /** `msg_signature` binds the Encrypt blob to the token, timestamp and nonce. */
  function authenticateEncrypt(
    settings: CallbackSettings,
    query: Record<string, unknown>,
    parts: QueryParts,
    encrypt: string,
  ) {
    const given = queryValue(query, 'msg_signature')
    const expected = msgSignature({ token: settings.token, ...parts, encrypt })
    if (given === undefined || !verifySignature(expected, given.toLowerCase()))
      throw callbackSignatureInvalid({ field: 'msg_signature' })
  }

  /** JSON or XML by the first character: a mislabelled content type must not lose a push. */
  function parse(body: string): Record<string, unknown> {
    try {
      return parseCallbackBody({ body })
    } catch (err) {
      if (err instanceof CallbackParseError) throw callbackBodyInvalid({ reason: err.code })
      throw err
    }
  }

  /** The verified message: its text (decrypted if need be) and the parsed object. */
  function open(settings: CallbackSettings, appId: string, req: PushRequest) {
    const parts = authenticate(settings, req.query)
    if (typeof req.body !== 'string' || req.body.trim() === '') throw callbackBodyInvalid({ reason: 'empty' })
    if (req.body.includes('\0')) throw callbackBodyInvalid({ reason: 'nul_character' })
    const outer = parse(req.body)
    const encrypt = typeof outer['Encrypt'] === 'string' ? outer['Encrypt'] : undefined
    if (settings.mode === 'plain') {
      if (encrypt !== undefined && outer['MsgType'] === undefined)
        throw callbackModeMismatch({ mode: 'plain', found: 'Encrypt' })
      return { text: req.body, raw: outer, parts }
    }
    if (encrypt === undefined) throw callbackModeMismatch({ mode: settings.mode, missing: 'Encrypt' })
    authenticateEncrypt(settings, req.query, parts, encrypt)
    let opened: { message: string; appid: string }
    try {
      opened = decryptMessage({ encodingAesKey: settings.encodingAesKey ?? '', encrypt })
    } catch (err) {
      if (err instanceof CallbackCryptoError) throw callbackDecryptFailed({ reason: err.code })
      throw err
    }
    if (opened.appid !== appId) throw callbackAppidMismatch()
    if (opened.message.includes('\0')) throw callbackBodyInvalid({ reason: 'nul_character' })
    return { text: opened.message, raw: parse(opened.message), parts }
  }

  // The pairs are kept twice the window (a timestamp may be that far from another within it); with
  // the window off, a day.
  const nonceRetentionMs = (deps.maxSkewS > 0 ? deps.maxSkewS * 2 : 86_400) * 1000
  let lastPurge = 0

  async function checkNonce(appId: string, parts: QueryParts, body: string) {
    const seen = await deps.store.rememberNonce(deps.db, { appId, ...parts, bodyHash: sha256(body) })
    if (seen === 'different') throw callbackNonceReused()
    if (now() - lastPurge > 60_000) {
      lastPurge = now()
      await deps.store.forgetNoncesBefore(deps.db, new Date(now() - nonceRetentionMs))
    }
  }

  return {
    /** GET: WeChat checks the URL when it is configured; the answer is echostr, unchanged. */
    async verifyUrl(p: { appId: string; query: Record<string, unknown> }): Promise<string> {
      const settings = await settingsOf(p.appId)
      authenticate(settings, p.query)
      const echostr = queryValue(p.query, 'echostr')
      if (echostr === undefined) throw callbackBodyInvalid({ field: 'echostr' })
      return echostr
    },

    /** POST: verifies and stores one push. `stored` is false for a retry of a stored push. */
    async receive(req: PushRequest): Promise<{ stored: boolean; eventType: string }> {
      const settings = await settingsOf(req.appId)
      const { text, raw, parts } = open(settings, req.appId, req)
      const event = toCallbackEvent(raw)
      await checkNonce(req.appId, parts, req.body as string)
      if (event.openid.length > MAX_OPENID) throw callbackBodyInvalid({ field: 'FromUserName' })
      const payload = JSON.parse(
        JSON.stringify(event, (_k, v: unknown) => (typeof v === 'string' ? storable(v) : v)),
      ) as Record<string, unknown>
      const format: CallbackFormat = text
        .trimStart()
        .replace(/^\uFEFF/, '')
        .startsWith('<')
        ? 'xml'
        : 'json'
      const row: NewCallbackEvent = {
        appId: req.appId,
        dedupeKey: storable(dedupeKeyOf(event)),
        eventType: event.type,
        openid: storable(event.openid),
        createTime: Number.isSafeInteger(event.createTime) && event.createTime >= 0 ? event.createTime : 0,
        format,
        body: storable(text),
        payload,
        ordered: ORDERED_TYPES.has(event.type),
      }
      const stored = await deps.store.insertEvent(deps.db, row)
      if (stored) deps.onStored?.()
      return { stored, eventType: event.type }
    },
  }
}

export type CallbackReceiver = ReturnType<typeof createCallbackReceiver>
