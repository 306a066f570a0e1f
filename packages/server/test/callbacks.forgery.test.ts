// Forged pushes (issue 10 point 2), on both databases. The URL signature covers token, timestamp and
// nonce only, never the body, so a push URL seen once (in a log, say) must not let anyone post other
// bodies: each (timestamp, nonce) is remembered with its body for the window; compatible mode uses
// only the encrypted part; the request log never shows the signatures; secure mode is the default.
import { randomBytes } from 'node:crypto'
import { Writable } from 'node:stream'
import { encryptMessage, msgSignature, urlSignature } from '@wxpush/wechat'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { redactUrl } from '../src/logger.ts'
import { startWxpush, type Running } from '../src/main.ts'
import { createTestDatabase, DB_KINDS, type TestDatabase } from '../src/testing/test-db.ts'

const TOKEN = 'forgeryToken42'
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'

const popup = (openid: string, templateId = 'TPL_F') =>
  JSON.stringify({
    ToUserName: 'gh_0123456789ab',
    FromUserName: openid,
    CreateTime: 1_714_037_059,
    MsgType: 'event',
    Event: 'subscribe_msg_popup_event',
    List: { TemplateId: templateId, SubscribeStatusString: 'accept', PopupScene: '0' },
  })

function signedQuery(p: { timestamp?: string; nonce?: string; encrypt?: string }) {
  const timestamp = p.timestamp ?? String(Math.floor(Date.now() / 1000))
  const nonce = p.nonce ?? String(randomBytes(4).readUInt32BE(0))
  const q = new URLSearchParams({
    signature: urlSignature({ token: TOKEN, timestamp, nonce }),
    timestamp,
    nonce,
  })
  if (p.encrypt !== undefined) {
    q.set('encrypt_type', 'aes')
    q.set('msg_signature', msgSignature({ token: TOKEN, timestamp, nonce, encrypt: p.encrypt }))
  }
  return { q, timestamp, nonce }
}

describe.each(DB_KINDS)('forged pushes on %s', (kind) => {
  const lines: string[] = []
  let database: TestDatabase
  let wxpush: Running
  let appId = ''

  beforeAll(async () => {
    database = await createTestDatabase(kind)
    wxpush = await startWxpush({
      env: {
        ...database.env,
        WXPUSH_MODE: 'dev',
        WXPUSH_LOG_LEVEL: 'debug', // the request log, with each URL, is on at this level
        WXPUSH_PORT: '0',
        WXPUSH_WECHAT_BASE_URL: 'http://127.0.0.1:9', // no WeChat call is made here
      },
      logStream: new Writable({
        write(chunk: Buffer | string, _enc, done) {
          for (const l of chunk.toString().split('\n')) if (l) lines.push(l)
          done()
        },
      }),
    })
    appId = `wxforge${kind}0000000`.slice(0, 18)
    await wxpush.services.apps.createApp({ appId, secret: 'f'.repeat(32), tokenMode: 'stable' })
  })
  afterAll(async () => {
    await wxpush?.stop()
    await database?.drop(false)
  })

  const configure = (mode: 'plain' | 'compatible' | 'secure') =>
    wxpush.services.callbackConfigs.set({
      appId,
      token: TOKEN,
      encodingAesKey: AES_KEY,
      mode,
      format: 'json',
    })
  const post = async (query: URLSearchParams, body: string) => {
    const res = await fetch(`${wxpush.apiUrl}/wechat/callback/${appId}?${query.toString()}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    })
    const text = await res.text()
    return {
      status: res.status,
      code: res.status === 200 ? null : (JSON.parse(text) as { error: { code: string } }).error.code,
    }
  }
  const storedOpenids = async () =>
    (await wxpush.services.callbacksStore.listEvents(wxpush.services.db, { appId, limit: 1000 })).map(
      (e) => e.openid,
    )

  it('plain mode: a retry under the same timestamp and nonce passes, another body is refused', async () => {
    await configure('plain')
    const { q } = signedQuery({})
    expect(await post(q, popup('o_plain_genuine'))).toEqual({ status: 200, code: null })
    expect(await post(q, popup('o_plain_genuine'))).toEqual({ status: 200, code: null }) // WeChat's retry
    for (const forged of [
      popup('o_plain_forged'),
      popup('o_plain_genuine', 'TPL_OTHER'),
      popup('o_plain_genuine') + ' ',
    ]) {
      expect(await post(q, forged)).toEqual({ status: 401, code: 'callbacks.nonce_reused' })
    }
    const openids = await storedOpenids()
    expect(openids.filter((o) => o === 'o_plain_genuine')).toHaveLength(1)
    expect(openids).not.toContain('o_plain_forged')
  })

  it('compatible mode: a body without Encrypt is refused, the plaintext beside Encrypt is ignored', async () => {
    await configure('compatible')
    // Only the URL signature: what a reader of one push URL can produce.
    expect(await post(signedQuery({}).q, popup('o_compat_plaintext_only'))).toEqual({
      status: 400,
      code: 'callbacks.mode_mismatch',
    })
    // Genuine Encrypt, forged plaintext fields beside it: the encrypted message is the one stored.
    const encrypt = encryptMessage({
      encodingAesKey: AES_KEY,
      appid: appId,
      message: popup('o_compat_encrypted'),
    })
    const { q } = signedQuery({ encrypt })
    const body = JSON.stringify({ ...JSON.parse(popup('o_compat_forged_plain')), Encrypt: encrypt })
    expect(await post(q, body)).toEqual({ status: 200, code: null })
    // The same pair with the Encrypt kept and the plaintext changed again: a different body.
    const again = JSON.stringify({ ...JSON.parse(popup('o_compat_forged_again')), Encrypt: encrypt })
    expect(await post(q, again)).toEqual({ status: 401, code: 'callbacks.nonce_reused' })
    const openids = await storedOpenids()
    expect(openids).toContain('o_compat_encrypted')
    for (const o of ['o_compat_plaintext_only', 'o_compat_forged_plain', 'o_compat_forged_again'])
      expect(openids).not.toContain(o)
  })

  it('secure mode: a second Encrypt under a used pair is refused', async () => {
    await configure('secure')
    const first = encryptMessage({ encodingAesKey: AES_KEY, appid: appId, message: popup('o_secure_1') })
    const { q, timestamp, nonce } = signedQuery({ encrypt: first })
    expect(await post(q, JSON.stringify({ ToUserName: 'gh_0123456789ab', Encrypt: first }))).toEqual({
      status: 200,
      code: null,
    })
    const second = encryptMessage({ encodingAesKey: AES_KEY, appid: appId, message: popup('o_secure_2') })
    const q2 = signedQuery({ timestamp, nonce, encrypt: second }).q
    expect(await post(q2, JSON.stringify({ ToUserName: 'gh_0123456789ab', Encrypt: second }))).toEqual({
      status: 401,
      code: 'callbacks.nonce_reused',
    })
  })

  it('never writes a push URL’s signatures to the log', async () => {
    await configure('secure')
    const encrypt = encryptMessage({ encodingAesKey: AES_KEY, appid: appId, message: popup('o_logged') })
    const { q } = signedQuery({ encrypt })
    expect((await post(q, JSON.stringify({ ToUserName: 'gh_0123456789ab', Encrypt: encrypt }))).status).toBe(
      200,
    )
    const signature = q.get('signature')!
    const msgSig = q.get('msg_signature')!
    expect(lines.some((l) => l.includes('/wechat/callback/') && l.includes('[redacted]'))).toBe(true)
    expect(lines.filter((l) => l.includes(signature) || l.includes(msgSig))).toEqual([])
    expect(redactUrl('/x?timestamp=1&signature=abc&nonce=2&msg_signature=def')).toBe(
      '/x?timestamp=1&signature=[redacted]&nonce=2&msg_signature=[redacted]',
    )
  })

  it('configures secure mode when no mode is given', async () => {
    const adminKey = (await wxpush.services.apps.issueApiKey(appId, 'admin')).apiKey
    const res = await fetch(`${wxpush.apiUrl}/v1/apps/${appId}/callback`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ token: TOKEN, encodingAesKey: AES_KEY, format: 'json' }),
    })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { mode: string }).mode).toBe('secure')
  })
})
