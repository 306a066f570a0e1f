// Fidelity: a third-party WeChat SDK from npm (node-easywechat, axios-based) talks to the simulator
// with only its base URL changed, proving the simulator speaks WeChat's wire format; and the SDK's
// own Encryptor decrypts and verifies a secure-mode push made by the simulator.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import easywechat from 'node-easywechat'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startTestSim, type TestSim } from './testing/sim-client.ts'

const TOKEN = 'sdktoken'
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'

class MemoryCache {
  private readonly map = new Map<string, unknown>()
  async get(key: string) {
    return this.map.get(key)
  }
  async has(key: string) {
    return this.map.has(key)
  }
  async set(key: string, data?: unknown) {
    this.map.set(key, data)
    return true
  }
  async delete(key: string) {
    return this.map.delete(key)
  }
}

let t: TestSim
let server: Server
let pushes: { query: URLSearchParams; body: string }[]

beforeEach(async () => {
  t = await startTestSim()
  pushes = []
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => {
      pushes.push({ query: new URL(req.url ?? '/', 'http://x').searchParams, body })
      res.end('success')
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
})
afterEach(async () => {
  await t.close()
  await new Promise((r) => server.close(r))
})

describe('fidelity with node-easywechat', () => {
  it('logs in, fetches a token and sends a subscription message through the SDK', async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb`
    const s = await t.setup({
      callback: { url, token: TOKEN, encodingAesKey: AES_KEY, mode: 'secure', format: 'json' },
    })
    const id = await t.template(s.appid, 2, [
      { key: 'thing1', name: '商品名称' },
      { key: 'amount2', name: '金额' },
    ])
    const app = new easywechat.MiniApp({
      app_id: s.appid,
      secret: s.secret,
      token: TOKEN,
      aes_key: AES_KEY,
      http: { baseURL: `${t.url}/` },
    })
    app.setCache(new MemoryCache())

    const { code } = (await t.post(`/control/apps/${s.appid}/users/${s.openid}/login`)).json as {
      code: string
    }
    const session = await app.getUtils().codeToSession(code)
    expect(session.openid).toBe(s.openid)

    await t.post(`/control/apps/${s.appid}/users/${s.openid}/subscribe`, { results: { [id]: 'accept' } })
    const client = app.getClient()
    const res = await client.postJson('cgi-bin/message/subscribe/send', {
      touser: s.openid,
      template_id: id,
      page: 'pages/index/index',
      data: { thing1: { value: '无线耳机' }, amount2: { value: '¥99.00' } },
    })
    const sent = res.toObject() as { errcode: number; errmsg: string; msgid: number }
    expect(sent.errcode).toBe(0)
    expect(sent.errmsg).toBe('ok')
    expect(typeof sent.msgid).toBe('number')

    const again = (await client
      .postJson('cgi-bin/message/subscribe/send', {
        touser: s.openid,
        template_id: id,
        data: { thing1: { value: '无线耳机' }, amount2: { value: '¥99.00' } },
      })
      .catch((e: unknown) => e)) as unknown
    const body = JSON.stringify(
      again instanceof Error ? again.message : (again as { toObject(): unknown }).toObject(),
    )
    expect(body).toContain('43101')

    await t.sim.callbacksIdle()
    const popup = pushes[0]
    expect(popup).toBeDefined()
    const q = popup?.query ?? new URLSearchParams()
    const encrypted = JSON.parse(popup?.body ?? '{}') as { Encrypt: string }
    const plain = app
      .getEncryptor()
      .decrypt(
        encrypted.Encrypt,
        q.get('msg_signature') ?? '',
        q.get('nonce') ?? '',
        Number(q.get('timestamp')),
      )
    expect(JSON.parse(plain)).toMatchObject({ Event: 'subscribe_msg_popup_event', List: { TemplateId: id } })
  })
})
