import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createWechatClient, type WechatClient } from './client.ts'
import { WechatTransportError } from './transport-error.ts'

interface Seen {
  method: string
  url: URL
  body: string
  contentType: string | undefined
}

type Handler = (req: Seen, res: ServerResponse) => void

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

/** A real HTTP server on 127.0.0.1, port 0, answering with `handler`; returns a client pointed at it. */
async function serve(handler: Handler, opts: { timeoutMs?: number; prefix?: string } = {}) {
  const seen: Seen[] = []
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const entry = {
        method: req.method ?? '',
        url: new URL(req.url ?? '/', 'http://127.0.0.1'),
        body: Buffer.concat(chunks).toString('utf8'),
        contentType: req.headers['content-type'],
      }
      seen.push(entry)
      handler(entry, res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const client = createWechatClient({
    baseUrl: `http://127.0.0.1:${port}${opts.prefix ?? ''}`,
    timeoutMs: opts.timeoutMs ?? 5_000,
  })
  cleanups.push(async () => {
    await client.close()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return { client, seen, port }
}

function json(body: string, status = 200): Handler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json; encoding=utf-8' })
    res.end(body)
  }
}

async function transportError(promise: Promise<unknown>): Promise<WechatTransportError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(WechatTransportError)
  return err as WechatTransportError
}

describe('createWechatClient', () => {
  it('fetches a classic token with GET and treats the missing errcode as 0', async () => {
    const { client, seen } = await serve(json('{"access_token":"TOKEN","expires_in":7200}'))
    const result = await client.getAccessToken({ appid: 'wx1', secret: 'S3CRET' })
    expect(result).toEqual({ ok: true, errcode: 0, errmsg: 'ok', accessToken: 'TOKEN', expiresIn: 7200 })
    expect(seen[0]?.method).toBe('GET')
    expect(seen[0]?.url.pathname).toBe('/cgi-bin/token')
    expect(Object.fromEntries(seen[0]?.url.searchParams ?? [])).toEqual({
      grant_type: 'client_credential',
      appid: 'wx1',
      secret: 'S3CRET',
    })
  })

  it('posts the stable token request as JSON with force_refresh false by default', async () => {
    const { client, seen } = await serve(json('{"access_token":"T2","expires_in":3600}'))
    const result = await client.getStableAccessToken({ appid: 'wx1', secret: 's' })
    expect(result.ok && result.expiresIn).toBe(3600)
    expect(seen[0]?.method).toBe('POST')
    expect(seen[0]?.contentType).toContain('application/json')
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({
      grant_type: 'client_credential',
      appid: 'wx1',
      secret: 's',
      force_refresh: false,
    })
  })

  it('answers a WeChat errcode as a failed result without throwing', async () => {
    const { client } = await serve(
      json('{"errcode":40164,"errmsg":"invalid ip 1.2.3.4, not in whitelist rid: 1"}'),
    )
    const result = await client.getAccessToken({ appid: 'wx1', secret: 's' })
    expect(result).toEqual({
      ok: false,
      errcode: 40164,
      errmsg: 'invalid ip 1.2.3.4, not in whitelist rid: 1',
    })
  })

  it('exchanges a login code with GET and keeps an optional unionid', async () => {
    const { client, seen } = await serve(json('{"openid":"o1","session_key":"sk","unionid":"u1"}'))
    const result = await client.code2Session({ appid: 'wx1', secret: 's', code: 'c0de' })
    expect(result).toEqual({
      ok: true,
      errcode: 0,
      errmsg: 'ok',
      openid: 'o1',
      sessionKey: 'sk',
      unionid: 'u1',
    })
    expect(seen[0]?.url.searchParams.get('js_code')).toBe('c0de')
    expect(seen[0]?.url.searchParams.get('grant_type')).toBe('authorization_code')
  })

  it('keeps a msgid beyond 2^53 exact, as a string', async () => {
    const { client, seen } = await serve(json('{"errcode":0,"errmsg":"ok","msgid":1988810812324364291}'))
    const body = { touser: 'o1', template_id: 't1', data: { thing1: { value: '合同A' } } }
    const result = await client.sendSubscribeMessage({ accessToken: 'TK', body })
    expect(result.ok && result.msgid).toBe('1988810812324364291')
    expect(seen[0]?.url.pathname).toBe('/cgi-bin/message/subscribe/send')
    expect(seen[0]?.url.searchParams.get('access_token')).toBe('TK')
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual(body)
  })

  it('answers a small msgid as a string and an absent msgid as no field', async () => {
    const small = await serve(json('{"errcode":0,"errmsg":"ok","msgid":42}'))
    const body = { touser: 'o1', template_id: 't1', data: {} }
    expect(await small.client.sendSubscribeMessage({ accessToken: 'TK', body })).toEqual({
      ok: true,
      errcode: 0,
      errmsg: 'ok',
      msgid: '42',
    })
    const none = await serve(json('{"errcode":0,"errmsg":"ok"}'))
    expect(await none.client.sendSubscribeMessage({ accessToken: 'TK', body })).toEqual({
      ok: true,
      errcode: 0,
      errmsg: 'ok',
    })
  })

  it('reads public template titles with comma-joined ids and a string categoryId', async () => {
    const { client, seen } = await serve(
      json(
        '{"errcode":0,"errmsg":"ok","count":1,"data":[{"tid":99,"title":"付款成功通知","type":2,"categoryId":616}]}',
      ),
    )
    const result = await client.getPubTemplateTitles({
      accessToken: 'TK',
      ids: [2, 616],
      start: 0,
      limit: 30,
    })
    expect(seen[0]?.url.searchParams.get('ids')).toBe('2,616')
    expect(seen[0]?.url.searchParams.has('keyword')).toBe(false)
    expect(result.ok && result.data).toEqual([{ tid: 99, title: '付款成功通知', type: 2, categoryId: '616' }])
  })

  it('reads the private templates with their enum value lists', async () => {
    const template = {
      priTmplId: 'p1',
      title: '洗衣机故障提醒',
      content: '完成时间:{{time1.DATA}}\n所在位置:{{enum_string2.DATA}}\n',
      example: '',
      type: 2,
      keywordEnumValueList: [{ keywordCode: 'enum_string2.DATA', enumValueList: ['客厅', '阳台'] }],
    }
    const { client } = await serve(json(JSON.stringify({ errcode: 0, errmsg: 'ok', data: [template] })))
    const result = await client.getTemplates({ accessToken: 'TK' })
    expect(result.ok && result.data).toEqual([template])
  })

  it('adds a template with the tid as a string and answers the priTmplId', async () => {
    const { client, seen } = await serve(json('{"errcode":0,"errmsg":"ok","priTmplId":"9Aw5"}'))
    const result = await client.addTemplate({
      accessToken: 'TK',
      tid: 401,
      kidList: [1, 2],
      sceneDesc: '测试数据',
    })
    expect(result.ok && result.priTmplId).toBe('9Aw5')
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({ tid: '401', kidList: [1, 2], sceneDesc: '测试数据' })
  })

  it('sends a customer-service text message to /cgi-bin/message/custom/send', async () => {
    const { client, seen } = await serve(
      json('{"errcode":45015,"errmsg":"response out of time limit or subscription is canceled"}'),
    )
    const result = await client.sendCustomerMessage({
      accessToken: 'TK',
      body: { touser: 'o1', msgtype: 'text', text: { content: 'hi' } },
    })
    expect(result.ok).toBe(false)
    expect(!result.ok && result.errcode).toBe(45015)
    expect(seen[0]?.url.pathname).toBe('/cgi-bin/message/custom/send')
  })

  it('honours a path prefix in baseUrl', async () => {
    const { client, seen } = await serve(json('{"errcode":0,"errmsg":"ok","data":[]}'), { prefix: '/wx/' })
    await client.getCategory({ accessToken: 'TK' })
    expect(seen[0]?.url.pathname).toBe('/wx/wxaapi/newtmpl/getcategory')
  })

  it('throws http_status with requestSent on a 5xx and never shows the secret', async () => {
    const { client } = await serve(json('oops', 502))
    const err = await transportError(client.getAccessToken({ appid: 'wx1', secret: 'TOPSECRET' }))
    expect(err.kind).toBe('http_status')
    expect(err.status).toBe(502)
    expect(err.requestSent).toBe(true)
    expect(err.path).toBe('/cgi-bin/token')
    expect(`${err.message} ${String(err.stack)}`).not.toContain('TOPSECRET')
  })

  it('throws bad_body when the answer is not JSON', async () => {
    const { client } = await serve(json('<html>gateway</html>'))
    const err = await transportError(client.getCategory({ accessToken: 'TK' }))
    expect(err.kind).toBe('bad_body')
    expect(err.requestSent).toBe(true)
  })

  it('throws bad_body when a success lacks the fields success carries', async () => {
    const { client } = await serve(json('{"errcode":0,"errmsg":"ok"}'))
    const err = await transportError(client.getAccessToken({ appid: 'wx1', secret: 's' }))
    expect(err.kind).toBe('bad_body')
  })

  it('throws timeout with requestSent when WeChat never answers', async () => {
    const { client } = await serve(() => undefined, { timeoutMs: 300 })
    const err = await transportError(
      client.sendSubscribeMessage({
        accessToken: 'SECRET_TOKEN',
        body: { touser: 'o', template_id: 't', data: {} },
      }),
    )
    expect(err.kind).toBe('timeout')
    expect(err.requestSent).toBe(true)
    expect(err.message).not.toContain('SECRET_TOKEN')
  })

  it('throws connect without requestSent when nothing listens on the port', async () => {
    const { port } = await serve(json('{}'))
    for (const cleanup of cleanups.splice(0)) await cleanup()
    const client: WechatClient = createWechatClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 2_000 })
    cleanups.push(() => client.close())
    const err = await transportError(client.getCategory({ accessToken: 'TK' }))
    expect(err.kind).toBe('connect')
    expect(err.requestSent).toBe(false)
  })

  it('throws connect with requestSent when the server resets the connection after the request', async () => {
    const { client } = await serve((_req, res) => res.socket?.destroy())
    const err = await transportError(client.getCategory({ accessToken: 'TK' }))
    expect(err.kind).toBe('connect')
    expect(err.requestSent).toBe(true)
  })
})
