// An in-test receiver with its own SHA-1 and AES (Node crypto, written here) checks what the
// simulator pushes in every mode and format.
import { createDecipheriv, createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { encryptMessage } from './callback-crypto.ts'
import { startTestSim, type TestSim } from '../testing/sim-client.ts'

const TOKEN = 'AAAAA'
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'

interface Received {
  query: URLSearchParams
  body: string
}

function sign(parts: string[]): string {
  return createHash('sha1')
    .update([...parts].sort().join(''))
    .digest('hex')
}

function decrypt(encrypt: string, appid: string): string {
  const key = Buffer.from(AES_KEY + '=', 'base64')
  const d = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16))
  d.setAutoPadding(false)
  const plain = Buffer.concat([d.update(Buffer.from(encrypt, 'base64')), d.final()])
  const pad = plain[plain.length - 1] ?? 0
  expect(pad).toBeGreaterThanOrEqual(1)
  expect(pad).toBeLessThanOrEqual(32)
  expect(plain.length % 32).toBe(0)
  const body = plain.subarray(16, plain.length - pad)
  const len = body.readUInt32BE(0)
  expect(body.subarray(4 + len).toString()).toBe(appid)
  return body.subarray(4, 4 + len).toString()
}

let t: TestSim
let server: Server
let received: Received[]
let failNext = 0
let receiverUrl: string

beforeEach(async () => {
  t = await startTestSim()
  received = []
  failNext = 0
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => {
      received.push({ query: new URL(req.url ?? '/', 'http://x').searchParams, body })
      res.statusCode = failNext-- > 0 ? 500 : 200
      res.end('success')
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wechat/callback`
})
afterEach(async () => {
  await t.close()
  await new Promise((r) => server.close(r))
})

async function popupIn(mode: string, format: string) {
  const s = await t.setup({
    callback: { url: receiverUrl, token: TOKEN, encodingAesKey: AES_KEY, mode, format },
  })
  const id = await t.template(s.appid, 2)
  await t.post(`/control/apps/${s.appid}/users/${s.openid}/subscribe`, { results: { [id]: 'accept' } })
  await t.sim.callbacksIdle()
  expect(received).toHaveLength(1)
  const push = received[0] as Received
  const q = push.query
  expect(q.get('signature')).toBe(sign([TOKEN, q.get('timestamp') ?? '', q.get('nonce') ?? '']))
  return { ...s, id, push }
}

describe('callback push', () => {
  it('pushes the popup event in plain JSON with List at the top level', async () => {
    const { id, openid, push } = await popupIn('plain', 'json')
    expect(push.query.get('encrypt_type')).toBeNull()
    const body = JSON.parse(push.body) as Record<string, unknown>
    expect(body).toMatchObject({
      FromUserName: openid,
      MsgType: 'event',
      Event: 'subscribe_msg_popup_event',
      List: { TemplateId: id, SubscribeStatusString: 'accept', PopupScene: '0' },
    })
    expect(typeof body.CreateTime).toBe('number')
  })

  it('pushes plain XML with the items nested under SubscribeMsgPopupEvent', async () => {
    const { id, push } = await popupIn('plain', 'xml')
    expect(push.body).toContain('<Event><![CDATA[subscribe_msg_popup_event]]></Event>')
    expect(push.body).toContain(
      `<SubscribeMsgPopupEvent><List><TemplateId><![CDATA[${id}]]></TemplateId><SubscribeStatusString><![CDATA[accept]]></SubscribeStatusString><PopupScene>0</PopupScene></List></SubscribeMsgPopupEvent>`,
    )
  })

  it('pushes secure JSON as ToUserName and Encrypt only, signed and decryptable', async () => {
    const { appid, id, push } = await popupIn('secure', 'json')
    const q = push.query
    const body = JSON.parse(push.body) as { ToUserName: string; Encrypt: string }
    expect(Object.keys(body).sort()).toEqual(['Encrypt', 'ToUserName'])
    expect(q.get('encrypt_type')).toBe('aes')
    expect(q.get('msg_signature')).toBe(
      sign([TOKEN, q.get('timestamp') ?? '', q.get('nonce') ?? '', body.Encrypt]),
    )
    const inner = JSON.parse(decrypt(body.Encrypt, appid)) as { List: { TemplateId: string } }
    expect(inner.List.TemplateId).toBe(id)
  })

  it('pushes compatible XML with the plain fields and an Encrypt of the same message', async () => {
    const { appid, push } = await popupIn('compatible', 'xml')
    const encrypt = /<Encrypt><!\[CDATA\[(.+?)\]\]><\/Encrypt>/.exec(push.body)?.[1] ?? ''
    expect(push.body).toContain('<Event><![CDATA[subscribe_msg_popup_event]]></Event>')
    const q = push.query
    expect(q.get('msg_signature')).toBe(
      sign([TOKEN, q.get('timestamp') ?? '', q.get('nonce') ?? '', encrypt]),
    )
    expect(decrypt(encrypt, appid)).toMatch(
      /^<xml>.*<Event><!\[CDATA\[subscribe_msg_popup_event\]\]><\/Event>.*<\/xml>$/,
    )
  })

  it('pushes the sent event after a send with the same 64-bit MsgID and List as one object', async () => {
    const s = await t.setup({ callback: { url: receiverUrl, token: TOKEN, mode: 'plain', format: 'xml' } })
    const id = await t.template(s.appid, 3)
    await t.post(`/control/apps/${s.appid}/users/${s.openid}/subscribe`, { results: { [id]: 'accept' } })
    const r = await t.post(`/cgi-bin/message/subscribe/send?access_token=${s.token}`, {
      touser: s.openid,
      template_id: id,
      data: { thing1: { value: 'x' } },
    })
    const msgid = /"msgid":(\d+)/.exec(r.text)?.[1]
    await t.sim.callbacksIdle()
    const sent = received.find((p) => p.body.includes('subscribe_msg_sent_event'))
    expect(sent?.body).toContain(
      `<MsgID>${msgid}</MsgID><ErrorCode>0</ErrorCode><ErrorStatus><![CDATA[success]]></ErrorStatus>`,
    )
  })

  it('reports a delivery failure in the sent event when the control asks for it', async () => {
    const s = await t.setup({ callback: { url: receiverUrl, token: TOKEN, mode: 'plain', format: 'json' } })
    const id = await t.template(s.appid, 3)
    await t.post(`/control/apps/${s.appid}/users/${s.openid}/subscribe`, { results: { [id]: 'accept' } })
    await t.post(`/control/apps/${s.appid}/users/${s.openid}/delivery`, { fail: true, count: 1 })
    await t.post(`/cgi-bin/message/subscribe/send?access_token=${s.token}`, {
      touser: s.openid,
      template_id: id,
      data: { thing1: { value: 'x' } },
    })
    await t.sim.callbacksIdle()
    const sent = JSON.parse(received.find((p) => p.body.includes('sent_event'))?.body ?? '{}') as {
      List: { ErrorCode: string }
    }
    expect(sent.List.ErrorCode).not.toBe('0')
    expect((await t.get(`/control/apps/${s.appid}/users/${s.openid}/inbox`)).json).toEqual([])
  })

  it('pushes the change event when the user switches a template off in settings', async () => {
    const s = await t.setup({ callback: { url: receiverUrl, token: TOKEN, mode: 'plain', format: 'json' } })
    const id = await t.template(s.appid, 3)
    await t.post(`/control/apps/${s.appid}/users/${s.openid}/settings`, { templateId: id, status: 'reject' })
    await t.sim.callbacksIdle()
    expect(JSON.parse(received[0]?.body ?? '{}')).toMatchObject({
      Event: 'subscribe_msg_change_event',
      List: { TemplateId: id, SubscribeStatusString: 'reject' },
    })
  })

  it('retries a failing receiver three times in all and counts it in stats', async () => {
    failNext = 5
    await popupIn('plain', 'json').catch(() => undefined)
    expect(received).toHaveLength(3)
    const stats = (await t.get('/control/stats')).json as { callbacks: Record<string, number> }
    expect(stats.callbacks).toMatchObject({ events: 1, attempts: 3, retries: 2, failed: 1, delivered: 0 })
  })

  it('encrypts the reference vector exactly', () => {
    const plain =
      '{"ToUserName":"gh_123456789abc","FromUserName":"o7esq5PHRGBQYmeNyfG064wEFVpQ","CreateTime":1620963428,"MsgType":"event","Event":"subscribe_msg_sent_event","List":{"TemplateId":"BEwX0BO-T3MqK3Uc5oTU3CGBqzjpndk2jzUf7VfExd8","MsgID":"1864323726461255680","ErrorCode":"0","ErrorStatus":"success"}}'
    const enc = encryptMessage(plain, 'wx1234567890abcdef', AES_KEY, Buffer.from('0123456789abcdef'))
    expect(enc.startsWith('Q3stYC6hdFzMh9T8HCvyDOIKds445z1yog609yX9kj6FKzWJU5l95yd5UoDnf2Ev')).toBe(true)
    expect(sign([TOKEN, '1714037059', '486452656', enc])).toBe('6b63e4f826aa949c722fba5ac32c99a504f8ed7f')
  })
})
