// Retries and timeouts against a loopback HTTP server that misbehaves on purpose: 503 and 429 are
// retried with the same idempotency key, a 4xx never is, a dropped connection or a silent server
// becomes sdk.network / sdk.timeout after the retries.
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { createClient, WxpushError } from '../src/index.ts'

interface Seen {
  method: string
  url: string
  body: string
}

let server: Server | undefined
afterEach(() => {
  server?.closeAllConnections()
  server?.close()
  server = undefined
})

/** Answers each request with the next step: [status, body] or 'drop' or 'silent'. */
async function serve(steps: ([number, unknown] | 'drop' | 'silent')[]) {
  const seen: Seen[] = []
  server = createServer((req: IncomingMessage, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body })
      const step = steps[Math.min(seen.length - 1, steps.length - 1)]!
      if (step === 'drop') return req.socket.destroy()
      if (step === 'silent') return
      res.writeHead(step[0], { 'content-type': 'application/json' }).end(JSON.stringify(step[1]))
    })
  })
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r))
  const port = (server.address() as { port: number }).port
  return { seen, baseUrl: `http://127.0.0.1:${port}` }
}

const ERROR = (code: string) => ({ error: { code, message: '…', details: { why: code } } })
const SEND = { to: { openid: 'o1' }, template: 't', data: { thing1: 'x' } }

describe('@wxpush/sdk retries', () => {
  it('retries 503, 429 and a dropped connection with one idempotency key, then answers', async () => {
    const { seen, baseUrl } = await serve([
      [503, ERROR('server.stopping')],
      [429, ERROR('apps.rate_limited')],
      'drop',
      [202, { id: 'm1', status: 'queued', duplicate: false }],
    ])
    const wx = createClient({ baseUrl, apiKey: 'k', backoffMs: 1 })
    expect(await wx.messages.send(SEND)).toEqual({ id: 'm1', status: 'queued', duplicate: false })
    expect(seen).toHaveLength(4)
    const keys = seen.map((s) => (JSON.parse(s.body) as { idempotencyKey: string }).idempotencyKey)
    expect(new Set(keys).size).toBe(1)
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('keeps a key the caller gave, and never retries a 4xx', async () => {
    const { seen, baseUrl } = await serve([[409, ERROR('consents.no_credit')]])
    const wx = createClient({ baseUrl, apiKey: 'k', backoffMs: 1 })
    const err = await wx.messages.send({ ...SEND, idempotencyKey: 'mine' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WxpushError)
    expect(err).toMatchObject({
      status: 409,
      code: 'consents.no_credit',
      details: { why: 'consents.no_credit' },
    })
    expect(seen).toHaveLength(1)
    expect(JSON.parse(seen[0]!.body)).toMatchObject({ idempotencyKey: 'mine' })
  })

  it('gives up after the retries with the last error', async () => {
    const { seen, baseUrl } = await serve([[503, ERROR('server.database_unavailable')]])
    const wx = createClient({ baseUrl, apiKey: 'k', backoffMs: 1, retries: 2 })
    const err = await wx.templates.list().catch((e: unknown) => e)
    expect(err).toMatchObject({ status: 503, code: 'server.database_unavailable' })
    expect(seen).toHaveLength(3)
  })

  it('times out a silent server as sdk.timeout, and a closed port is sdk.network', async () => {
    const { seen, baseUrl } = await serve(['silent'])
    const wx = createClient({ baseUrl, apiKey: 'k', backoffMs: 1, retries: 1, timeoutMs: 200 })
    expect(await wx.messages.get('m1').catch((e: unknown) => e)).toMatchObject({
      status: 0,
      code: 'sdk.timeout',
    })
    expect(seen).toHaveLength(2)
    server!.closeAllConnections()
    await new Promise<void>((r) => server!.close(() => r()))
    server = undefined
    const closed = createClient({ baseUrl, apiKey: 'k', backoffMs: 1, retries: 0 })
    expect(await closed.messages.get('m1').catch((e: unknown) => e)).toMatchObject({ code: 'sdk.network' })
  })

  it('does not retry a campaign upload or a state change (sending them twice is not safe)', async () => {
    const { seen, baseUrl } = await serve([[503, ERROR('server.stopping')]])
    const wx = createClient({ baseUrl, apiKey: 'k', backoffMs: 1 })
    await expect(wx.campaigns.upload('c1', '{"openid":"o"}\n', 'ndjson')).rejects.toThrow(WxpushError)
    await expect(wx.campaigns.start('c1')).rejects.toThrow(WxpushError)
    expect(seen.map((s) => s.url)).toEqual(['/v1/campaigns/c1/recipients', '/v1/campaigns/c1/start'])
  })
})
