// The receiver against hand-made pushes, on both databases: what is refused (and then never
// stored), what is stored once however often WeChat retries, and that a stored push survives the
// worker being down (the durable ack).
import { randomBytes } from 'node:crypto'
import { encryptMessage, msgSignature, urlSignature } from '@wxpush/wechat'
import { beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../src/testing/test-db.ts'
import { eventually, useTestStack } from '../src/testing/test-stack.ts'

const TOKEN = 'receiverToken42'
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'

/** A push as WeChat would send it: the query string and the body, plain or encrypted. */
function pushOf(p: {
  appid: string
  message: string
  /** compatible: the plaintext fields and Encrypt side by side, as WeChat sends them (JSON only here). */
  mode: 'plain' | 'compatible' | 'secure'
  timestamp?: number
  token?: string
  aesKey?: string
}) {
  const timestamp = String(p.timestamp ?? Math.floor(Date.now() / 1000))
  const nonce = String(randomBytes(4).readUInt32BE(0))
  const token = p.token ?? TOKEN
  const q = new URLSearchParams({ signature: urlSignature({ token, timestamp, nonce }), timestamp, nonce })
  const xml = p.message.startsWith('<')
  if (p.mode === 'plain')
    return { query: q.toString(), body: p.message, type: xml ? 'text/xml' : 'application/json' }
  const encrypt = encryptMessage({ encodingAesKey: p.aesKey ?? AES_KEY, appid: p.appid, message: p.message })
  q.set('encrypt_type', 'aes')
  q.set('msg_signature', msgSignature({ token, timestamp, nonce, encrypt }))
  return {
    query: q.toString(),
    body: JSON.stringify(
      p.mode === 'compatible'
        ? { ...(JSON.parse(p.message) as object), Encrypt: encrypt }
        : { ToUserName: 'gh_0123456789ab', Encrypt: encrypt },
    ),
    type: 'application/json',
  }
}

const popup = (openid: string, templateId: string, createTime = 1_714_037_059) =>
  JSON.stringify({
    ToUserName: 'gh_0123456789ab',
    FromUserName: openid,
    CreateTime: createTime,
    MsgType: 'event',
    Event: 'subscribe_msg_popup_event',
    List: { TemplateId: templateId, SubscribeStatusString: 'accept', PopupScene: '0' },
  })

describe.each(DB_KINDS)('the callback receiver on %s', (kind) => {
  const stack = useTestStack({ kind })
  let adminKey: string

  beforeAll(async () => {
    adminKey = (await stack.wxpush.services.apps.issueApiKey(stack.appId, 'admin')).apiKey
  })

  const configure = (mode: string, format = 'json') =>
    stack.wxpush.services.callbackConfigs.set({
      appId: stack.appId,
      token: TOKEN,
      encodingAesKey: AES_KEY,
      mode: mode as 'plain',
      format: format as 'json',
    })
  const post = async (push: { query: string; body: string; type: string }, appId = stack.appId) => {
    const res = await stack.wxpush.app.inject({
      method: 'POST',
      url: `/wechat/callback/${appId}?${push.query}`,
      headers: { 'content-type': push.type },
      payload: push.body,
    })
    const code = res.statusCode === 200 ? null : (res.json() as { error: { code: string } }).error.code
    return { status: res.statusCode, body: res.body, code }
  }
  const rows = async () => {
    const s = stack.wxpush.services
    return s.callbacksStore.listEvents(s.db, { appId: stack.appId, limit: 1000 })
  }

  it('stores a push once however often WeChat retries it, with or without the plaintext beside Encrypt', async () => {
    await configure('compatible')
    const before = (await rows()).length
    const message = popup(`o_dedupe_${kind}`, 'TPL_DEDUPE')
    for (const mode of ['compatible', 'secure', 'compatible', 'secure'] as const) {
      const r = await post(pushOf({ appid: stack.appId, message, mode }))
      expect(r).toMatchObject({ status: 200, body: 'success' })
    }
    expect((await rows()).length).toBe(before + 1)
  })

  it.each([
    ['a wrong signature', 'callbacks.signature_invalid', { token: 'someoneElse' }],
    [
      'a timestamp an hour old',
      'callbacks.timestamp_skew',
      { timestamp: Math.floor(Date.now() / 1000) - 3600 },
    ],
    ['another appid inside the ciphertext', 'callbacks.appid_mismatch', { appid: 'wx0000000000000000' }],
    [
      'another EncodingAESKey',
      'callbacks.decrypt_failed',
      { aesKey: 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut' },
    ],
  ])('refuses a push with %s with 401 and stores nothing', async (_what, code, change) => {
    await configure('secure')
    const before = (await rows()).length
    const r = await post(
      pushOf({ appid: stack.appId, message: popup('o_refused', 'TPL_X'), mode: 'secure', ...change }),
    )
    expect(r.status).toBe(401)
    expect(r.code).toBe(code)
    expect((await rows()).length).toBe(before)
  })

  it.each([
    [
      'an XML entity bomb',
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><xml><FromUserName>&lol2;</FromUserName></xml>',
      'callbacks.body_invalid',
    ],
    ['broken JSON', '{"ToUserName": "gh_1", "MsgType": ', 'callbacks.body_invalid'],
    ['a JSON array', '[1, 2, 3]', 'callbacks.body_invalid'],
  ])('refuses a validly signed push holding %s with 400', async (_what, message, code) => {
    await configure('plain')
    const before = (await rows()).length
    const r = await post(pushOf({ appid: stack.appId, message, mode: 'plain' }))
    expect(r.status).toBe(400)
    expect(r.code).toBe(code)
    expect((await rows()).length).toBe(before)
  })

  it('refuses an oversized body with 413, a plain push to a secure app, and an unconfigured app', async () => {
    await configure('secure')
    const big = pushOf({ appid: stack.appId, message: 'x'.repeat(100 * 1024), mode: 'plain' })
    expect((await post(big)).status).toBe(413)
    const plain = await post(pushOf({ appid: stack.appId, message: popup('o_plain', 'T'), mode: 'plain' }))
    expect(plain).toMatchObject({ status: 400, code: 'callbacks.mode_mismatch' })
    const nowhere = await post(
      pushOf({ appid: 'wxnothere', message: popup('o', 'T'), mode: 'plain' }),
      'wxnothere',
    )
    expect(nowhere).toMatchObject({ status: 404, code: 'callbacks.not_configured' })
  })

  it('keeps an event it does not know, marked done', async () => {
    await configure('plain', 'xml')
    const message =
      '<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o_unknown]]></FromUserName>' +
      '<CreateTime>1714037059</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[brand_new_event]]></Event></xml>'
    expect((await post(pushOf({ appid: stack.appId, message, mode: 'plain' }))).status).toBe(200)
    const row = await eventually(async () =>
      (await rows()).find((r) => r.openid === 'o_unknown' && r.status === 'done'),
    )
    expect(row.event_type).toBe('unknown')
  })

  it('acts on a push stored while the worker was down once a worker runs, also after a lost claim', async () => {
    const s = stack.wxpush.services
    await configure('secure')
    await s.callbackWorker.stop()
    try {
      const openids = [`o_durable_a_${kind}`, `o_durable_b_${kind}`]
      for (const openid of openids) {
        const r = await post(
          pushOf({ appid: stack.appId, message: popup(openid, 'TPL_DURABLE'), mode: 'secure' }),
        )
        expect(r.status).toBe(200)
      }
      const pending = (await rows()).filter((r) => openids.includes(r.openid))
      expect(pending.map((r) => r.status)).toEqual(['pending', 'pending'])
      // A worker claims both and dies before finishing: the claims lapse after their lease.
      const claimed = await s.callbacksStore.claim(s.db, { limit: 10, leaseMs: 1 })
      expect(claimed.map((c) => c.openid)).toEqual(expect.arrayContaining(openids))
    } finally {
      s.callbackWorker.start()
    }
    for (const openid of [`o_durable_a_${kind}`, `o_durable_b_${kind}`]) {
      const user = await eventually(() => s.usersStore.findByOpenid(s.db, stack.appId, openid))
      const consent = await eventually(async () => {
        const r = await stack.api<{ template: string; confirmed: number }[]>(
          'GET',
          `/v1/users/${user.id}/consents`,
        )
        return r.body.find((c) => c.template === 'TPL_DURABLE')
      })
      expect(consent.confirmed).toBe(1)
    }
    const done = (await rows()).filter((r) => r.openid.startsWith('o_durable_'))
    expect(done.map((r) => [r.status, r.attempts])).toEqual([
      ['done', 2],
      ['done', 2],
    ])
  })

  it('retries a sent event for a msgid no message has yet, keeping the error', async () => {
    await configure('plain')
    const message = JSON.stringify({
      ToUserName: 'gh_1',
      FromUserName: 'o_early',
      CreateTime: 1714037060,
      MsgType: 'event',
      Event: 'subscribe_msg_sent_event',
      List: { TemplateId: 'T', MsgID: '18446744073709551615', ErrorCode: '0', ErrorStatus: 'success' },
    })
    expect((await post(pushOf({ appid: stack.appId, message, mode: 'plain' }))).status).toBe(200)
    const row = await eventually(async () =>
      (await rows()).find((r) => r.openid === 'o_early' && r.attempts >= 1 && r.error !== null),
    )
    expect(row.status).toBe('pending')
    expect(row.error).toContain('18446744073709551615')
  })

  it('lets only the app’s admin key set the callback, and never answers the secrets', async () => {
    const path = `/v1/apps/${stack.appId}/callback`
    const admin = { authorization: `Bearer ${adminKey}` }
    const body = { token: 'abc123', mode: 'secure', format: 'xml' }
    expect((await stack.api('PUT', path, body)).status).toBe(403)
    // No EncodingAESKey in the body: the one stored by the earlier tests is kept.
    expect((await stack.api('PUT', path, body, admin)).status).toBe(200)
    const s = stack.wxpush.services
    await s.apps.createApp({ appId: `wxfresh${kind}`, secret: 'x', tokenMode: 'stable' })
    await expect(
      s.callbackConfigs.set({ appId: `wxfresh${kind}`, token: 'abc123', mode: 'secure', format: 'json' }),
    ).rejects.toMatchObject({ code: 'callbacks.config_invalid', details: { field: 'encodingAesKey' } })
    const badToken = await stack.api<{
      error: { code: string; details: { fields: { field: string }[] } }
    }>('PUT', path, { ...body, token: 'a!' }, admin)
    expect(badToken.status).toBe(400)
    expect(badToken.body.error.details.fields[0]?.field).toBe('body.token')
    const other = await stack.api('PUT', `/v1/apps/wxother/callback`, body, admin)
    expect(other.status).toBe(403)
    const got = await stack.api<Record<string, unknown>>('GET', path, undefined, admin)
    expect(got.body).toMatchObject({
      appId: stack.appId,
      mode: 'secure',
      format: 'xml',
      encodingAesKeySet: true,
    })
    expect(String(got.body.url)).toMatch(new RegExp(`/wechat/callback/${stack.appId}$`))
    expect(JSON.stringify(got.body)).not.toMatch(/abc123|abcdefghijklmnop/)
  })
})
