// fast-check throws arbitrary bodies, headers and queries at /wechat/callback/:appId on both
// databases. Never a 5xx; without a valid signature never a stored row; with one, 200 or a 4xx.
import { randomBytes } from 'node:crypto'
import { encryptMessage, msgSignature, urlSignature } from '@wxpush/wechat'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DB_KINDS } from '../src/testing/test-db.ts'
import { useTestStack } from '../src/testing/test-stack.ts'

const TOKEN = 'fuzzToken'
const AES_KEY = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR'
const RUNS = Number(process.env.WXPUSH_FUZZ_RUNS ?? 150)

const printable = fc
  .string({ unit: 'binary-ascii', maxLength: 80 })
  .map((s) => s.replace(/[^\x20-\x7e]/g, ''))
const contentType = fc.oneof(
  fc.constantFrom(
    'application/json',
    'text/xml',
    'application/xml',
    'text/plain',
    'application/json; charset=utf-8',
  ),
  printable,
)
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.string({ unit: 'grapheme', maxLength: 400 }),
  fc.json({ maxDepth: 3 }),
)
/** Looks like a push: the known fields with arbitrary values, as JSON or XML. */
const pushLike = fc
  .record(
    {
      ToUserName: anyText,
      FromUserName: fc.oneof(fc.constant('o_fuzz'), anyText),
      CreateTime: fc.oneof(fc.integer(), fc.double(), anyText, fc.constant('1e400')),
      MsgType: fc.oneof(fc.constantFrom('event', 'text', 'image', ''), anyText),
      Event: fc.constantFrom(
        'subscribe_msg_popup_event',
        'subscribe_msg_change_event',
        'subscribe_msg_sent_event',
        'user_enter_tempsession',
        'other',
      ),
      MsgId: fc.oneof(fc.bigInt(), anyText),
      List: fc.oneof(
        fc.anything({ maxDepth: 2 }),
        fc.array(
          fc.record({
            TemplateId: anyText,
            SubscribeStatusString: anyText,
            MsgID: anyText,
            ErrorCode: anyText,
          }),
        ),
      ),
    },
    { requiredKeys: [] },
  )
  .chain((o) =>
    fc.constantFrom(
      JSON.stringify(o, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
      `<xml>${Object.entries(o)
        .map(([k, v]) => `<${k}><![CDATA[${String(typeof v === 'object' ? JSON.stringify(v) : v)}]]></${k}>`)
        .join('')}</xml>`,
    ),
  )
const body = fc.oneof(
  anyText,
  pushLike,
  fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)),
)

describe.each(DB_KINDS)('the callback receiver under fuzzing on %s', (kind) => {
  const stack = useTestStack({ kind })

  const rowCount = async () => {
    const s = stack.wxpush.services
    return (await s.callbacksStore.listEvents(s.db, { appId: stack.appId, limit: 100_000 })).length
  }
  const send = (p: {
    method?: 'GET' | 'POST'
    appId?: string
    query: string
    type: string
    payload?: string | Buffer
  }) =>
    stack.wxpush.app.inject({
      method: p.method ?? 'POST',
      url: `/wechat/callback/${p.appId ?? stack.appId}?${p.query}`,
      headers: { 'content-type': p.type },
      ...(p.payload === undefined ? {} : { payload: p.payload }),
    })
  const signedQuery = (encrypt?: string) => {
    const timestamp = String(Math.floor(Date.now() / 1000))
    const nonce = String(randomBytes(4).readUInt32BE(0))
    const q = new URLSearchParams({
      signature: urlSignature({ token: TOKEN, timestamp, nonce }),
      timestamp,
      nonce,
    })
    if (encrypt !== undefined) {
      q.set('encrypt_type', 'aes')
      q.set('msg_signature', msgSignature({ token: TOKEN, timestamp, nonce, encrypt }))
    }
    return q.toString()
  }

  it('never answers 5xx and never stores an unsigned request, whatever comes', async () => {
    await stack.wxpush.services.callbackConfigs.set({
      appId: stack.appId,
      token: TOKEN,
      encodingAesKey: AES_KEY,
      mode: 'compatible',
      format: 'json',
    })
    const before = await rowCount()
    const query = fc.oneof(
      fc
        .dictionary(
          fc.oneof(
            fc.constantFrom('signature', 'timestamp', 'nonce', 'msg_signature', 'encrypt_type', 'echostr'),
            printable,
          ),
          fc.oneof(anyText, fc.constant(String(Math.floor(Date.now() / 1000)))),
        )
        .map((d) => new URLSearchParams(d).toString()),
      printable,
    )
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST') as fc.Arbitrary<'GET' | 'POST'>,
        fc.oneof(fc.constant(stack.appId), printable.map(encodeURIComponent)),
        query,
        contentType,
        body,
        async (method, appId, q, type, payload) => {
          const res = await send({
            method,
            appId,
            query: q,
            type,
            ...(method === 'POST' ? { payload } : {}),
          })
          expect(res.statusCode).toBeLessThan(500)
          if (method === 'POST') expect(res.statusCode).not.toBe(200)
        },
      ),
      { numRuns: RUNS },
    )
    expect(await rowCount()).toBe(before)
  })

  it('answers 200 or a 4xx to any validly signed body, plain or encrypted', async () => {
    await stack.wxpush.services.callbackConfigs.set({
      appId: stack.appId,
      token: TOKEN,
      encodingAesKey: AES_KEY,
      mode: 'compatible',
      format: 'json',
    })
    let accepted = 0
    await fc.assert(
      fc.asyncProperty(fc.boolean(), contentType, body, async (encrypted, type, payload) => {
        let res
        if (encrypted) {
          const message = Buffer.isBuffer(payload) ? payload.toString('latin1') : payload
          const encrypt = encryptMessage({ encodingAesKey: AES_KEY, appid: stack.appId, message })
          res = await send({
            query: signedQuery(encrypt),
            type: 'application/json',
            payload: JSON.stringify({ ToUserName: 'gh_1', Encrypt: encrypt }),
          })
        } else {
          res = await send({ query: signedQuery(), type, payload })
        }
        expect(res.statusCode).toBeLessThan(500)
        if (res.statusCode === 200) {
          expect(res.body).toBe('success')
          accepted++
        } else {
          expect(res.statusCode).toBeGreaterThanOrEqual(400)
        }
      }),
      { numRuns: RUNS },
    )
    // Some arbitrary bodies are objects, hence events (unknown ones are kept).
    expect(accepted).toBeGreaterThan(0)
  })

  it('refuses an arbitrary Encrypt even with a valid msg_signature, storing nothing', async () => {
    await stack.wxpush.services.callbackConfigs.set({
      appId: stack.appId,
      token: TOKEN,
      encodingAesKey: AES_KEY,
      mode: 'secure',
      format: 'xml',
    })
    const before = await rowCount()
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyText, fc.base64String({ maxLength: 400 })), async (encrypt) => {
        const xml = `<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`
        const res = await send({ query: signedQuery(encrypt), type: 'text/xml', payload: xml })
        expect(res.statusCode).toBeGreaterThanOrEqual(400)
        expect(res.statusCode).toBeLessThan(500)
      }),
      { numRuns: RUNS },
    )
    expect(await rowCount()).toBe(before)
  })
})
