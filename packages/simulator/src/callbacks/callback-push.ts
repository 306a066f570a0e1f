// Pushes events to an app's message URL after the API answer went out, in the app's mode (plain,
// compatible, secure) and format (JSON, XML), and retries like WeChat: a non-2xx answer or no answer
// within the timeout (5 s) is retried, three attempts in all (docs/wechat.md §6.5).
import { randomBytes } from 'node:crypto'
import type { Stats } from '../stats.ts'
import type { App } from '../world.ts'
import { encryptMessage, sha1Signature } from './callback-crypto.ts'
import { type CallbackEvent, type Fields, toJson, toXml } from './callback-events.ts'

export interface CallbackPusherOptions {
  enabled: boolean
  stats: Stats
  now: () => number
  /** Waits between attempts; its length + 1 is the number of attempts (default [1000, 2000]). */
  retryDelaysMs?: number[]
  timeoutMs?: number
}

export interface CallbackPusher {
  push(app: App, event: CallbackEvent): void
  /** Resolves when every push started so far has been delivered or given up. */
  idle(): Promise<void>
}

export interface RenderedPush {
  query: string
  body: string
  contentType: string
}

/** The request WeChat would send for this event: query string, body and content type. */
export function renderPush(app: App, event: CallbackEvent, timestamp: number, nonce: string): RenderedPush {
  const cb = app.callback
  if (!cb) throw new Error('app has no callback')
  const ts = String(timestamp)
  const plain = cb.format === 'json' ? toJson(event) : toXml(event)
  const params = new URLSearchParams({
    signature: sha1Signature([cb.token, ts, nonce]),
    timestamp: ts,
    nonce,
  })
  const contentType = cb.format === 'json' ? 'application/json' : 'text/xml'
  if (cb.mode === 'plain') return { query: params.toString(), body: plain, contentType }
  if (!cb.encodingAesKey) throw new Error('compatible and secure modes need an encodingAesKey')
  const encrypt = encryptMessage(plain, app.appid, cb.encodingAesKey)
  params.set('encrypt_type', 'aes')
  params.set('msg_signature', sha1Signature([cb.token, ts, nonce, encrypt]))
  const encField: Fields = [['Encrypt', encrypt]]
  let body: string
  if (cb.mode === 'compatible') {
    body = cb.format === 'json' ? toJson(event, encField) : toXml(event, encField)
  } else {
    const only: Fields = [['ToUserName', event.toUserName], ...encField]
    body =
      cb.format === 'json'
        ? `{${only.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`
        : `<xml><ToUserName><![CDATA[${event.toUserName}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`
  }
  return { query: params.toString(), body, contentType }
}

export function createCallbackPusher(opts: CallbackPusherOptions): CallbackPusher {
  const inflight = new Set<Promise<void>>()
  const delays = opts.retryDelaysMs ?? [1000, 2000]
  const timeoutMs = opts.timeoutMs ?? 5000

  async function deliver(app: App, event: CallbackEvent): Promise<void> {
    const cb = app.callback
    if (!cb) return
    const stats = opts.stats.callbacks
    const name = event.event ?? event.msgType
    stats.events++
    stats.byEvent[name] = (stats.byEvent[name] ?? 0) + 1
    for (let attempt = 0; attempt <= delays.length; attempt++) {
      if (attempt > 0) {
        stats.retries++
        await new Promise((r) => setTimeout(r, delays[attempt - 1]))
      }
      stats.attempts++
      try {
        const push = renderPush(
          app,
          event,
          Math.floor(opts.now() / 1000),
          randomBytes(5).readUInt32BE(0).toString(),
        )
        const sep = cb.url.includes('?') ? '&' : '?'
        const res = await fetch(`${cb.url}${sep}${push.query}`, {
          method: 'POST',
          headers: { 'content-type': push.contentType },
          body: push.body,
          signal: AbortSignal.timeout(timeoutMs),
        })
        await res.arrayBuffer().catch(() => undefined)
        if (res.ok) {
          stats.delivered++
          return
        }
      } catch {
        // timeout, refused, reset: retried like a non-2xx answer
      }
    }
    stats.failed++
  }

  return {
    push(app, event) {
      if (!opts.enabled || !app.callback) return
      const p: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => deliver(app, event))
        .finally(() => inflight.delete(p))
      inflight.add(p)
    },
    async idle() {
      while (inflight.size > 0) await Promise.allSettled([...inflight])
    },
  }
}
