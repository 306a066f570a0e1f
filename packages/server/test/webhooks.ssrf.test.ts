// Webhook SSRF on both databases: with private targets not allowed (production's default), a webhook
// URL that reaches loopback, private, link-local or reserved addresses — in any spelling — is refused
// when set (422), and again on every delivery after DNS resolution, so a URL stored earlier or a name
// that now resolves inward reaches nothing.
import { createServer, type Server } from 'node:http'
import { describe, expect, it, afterAll, beforeAll } from 'vitest'
import { DB_KINDS } from '../src/testing/test-db.ts'
import { eventually, useTestStack } from '../src/testing/test-stack.ts'
import {
  ORDER_DATA,
  ORDER_TEMPLATE,
  createTestTemplate,
  seedUsersWithCredits,
} from '../src/testing/test-users.ts'
import { webhookAllowPrivate } from '../src/webhooks/webhooks.sender.ts'
import { checkWebhookUrl, guardedLookup } from '../src/webhooks/webhooks.target.ts'

/** Loopback, private, link-local, unspecified, reserved — and odd spellings of them. */
const REFUSED = [
  'http://169.254.169.254/latest/meta-data/',
  'http://localhost:5432/',
  'http://LOCALHOST./',
  'http://db.localhost/',
  'http://127.0.0.1/',
  'http://127.1/',
  'http://0x7f000001/',
  'http://2130706433/',
  'http://0177.0.0.1/',
  'http://0x7f.0.0.1/',
  'http://[::1]:8080/',
  'http://[::]/',
  'http://[0:0:0:0:0:0:0:1]/',
  'http://[::ffff:127.0.0.1]/',
  'http://[::ffff:7f00:1]/',
  'http://[fe80::1]/',
  'http://[fc00::1]/',
  'http://[fd12:3456::1]/',
  'http://0.0.0.0:3000/',
  'http://0/',
  'http://10.0.0.1/',
  'http://172.16.0.1/',
  'http://172.31.255.255/',
  'http://192.168.1.1/',
  'http://100.64.0.1/',
  'http://224.0.0.1/',
  'http://255.255.255.255/',
  'https://169.254.169.254:443/',
]
const MALFORMED = ['http://', 'https://[::1', 'http://exa mple.com/', 'http://[::1/']
const USERINFO = ['http://user:pw@example.com/', 'http://example.com@127.0.0.1/', 'https://a@example.com/']
const ACCEPTED = [
  'https://example.com/hooks/wxpush',
  'http://93.184.216.34:8080/x',
  'https://[2606:4700::1111]/',
]

describe('webhook targets (no database)', () => {
  it('refuses every private spelling and accepts public ones', () => {
    for (const url of REFUSED) expect(() => checkWebhookUrl(url, false), url).toThrow(/url_refused/)
    for (const url of [...MALFORMED, ...USERINFO])
      expect(() => checkWebhookUrl(url, false), url).toThrow(/url_invalid/)
    for (const url of ACCEPTED) expect(checkWebhookUrl(url, false).href).toBeTruthy()
    // Allowing private targets lifts the address rule only: malformed and userinfo URLs stay refused.
    for (const url of REFUSED) expect(checkWebhookUrl(url, true).href).toBeTruthy()
    for (const url of USERINFO) expect(() => checkWebhookUrl(url, true), url).toThrow(/url_invalid/)
  })

  it('refuses a name once it resolves to a private address', async () => {
    const err = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      guardedLookup('localhost', {}, (e) => resolve(e)),
    )
    expect(err?.code).toBe('EWXPUSH_PRIVATE_ADDRESS')
  })

  it('allows private targets in dev mode by default, and an operator setting decides otherwise', () => {
    expect(webhookAllowPrivate({ WXPUSH_MODE: 'production' })).toBe(false)
    expect(webhookAllowPrivate({ WXPUSH_MODE: 'dev' })).toBe(true)
    expect(webhookAllowPrivate({ WXPUSH_MODE: 'dev', WXPUSH_WEBHOOK_ALLOW_PRIVATE: false })).toBe(false)
    expect(webhookAllowPrivate({ WXPUSH_MODE: 'production', WXPUSH_WEBHOOK_ALLOW_PRIVATE: true })).toBe(true)
  })
})

describe.each(DB_KINDS)('webhook SSRF on %s', (kind) => {
  const stack = useTestStack({ kind, env: { WXPUSH_WEBHOOK_ALLOW_PRIVATE: 'false' } })
  let receiver: Server
  let hits = 0
  let port = 0
  let adminKey = ''
  beforeAll(async () => {
    adminKey = (await stack.wxpush.services.apps.issueApiKey(stack.appId, 'admin')).apiKey
    receiver = createServer((req, res) => {
      hits++
      req.resume()
      res.end('ok')
    })
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
    port = (receiver.address() as { port: number }).port
  })
  afterAll(() => new Promise<void>((r) => receiver.close(() => r())))

  const put = (url: string) =>
    stack.api(`PUT`, `/v1/apps/${stack.appId}/webhook`, { url }, { authorization: `Bearer ${adminKey}` })

  it('refuses private, malformed and userinfo URLs with 422 and stores none of them', async () => {
    for (const url of REFUSED) {
      const r = await put(url)
      expect({ url, status: r.status, code: (r.body.error as { code?: string })?.code }).toEqual({
        url,
        status: 422,
        code: 'webhooks.url_refused',
      })
    }
    for (const url of [...MALFORMED, ...USERINFO]) {
      const r = await put(url)
      expect({ url, status: r.status, code: (r.body.error as { code?: string })?.code }).toEqual({
        url,
        status: 422,
        code: 'webhooks.url_invalid',
      })
    }
    const stored = await stack.api('GET', `/v1/apps/${stack.appId}/webhook`, undefined, {
      authorization: `Bearer ${adminKey}`,
    })
    expect(stored.status).toBe(404)
    for (const url of ACCEPTED) expect((await put(url)).status, url).toBe(200)
  })

  it('checks again on every delivery: a private URL stored earlier and a name resolving inward reach nothing', async () => {
    const db = stack.wxpush.services.db
    const templateId = await createTestTemplate(stack, ORDER_TEMPLATE)
    const [user] = await seedUsersWithCredits(stack, { users: 1, templateId, credits: 2 })
    for (const url of [`http://127.0.0.1:${port}/hook`, `http://localhost:${port}/hook`]) {
      // As if stored before the rule existed (or while the setting allowed it).
      await stack.wxpush.services.webhooksStore.upsertEndpoint(db, {
        appId: stack.appId,
        url,
        secretEnc: stack.wxpush.services.secrets.seal('s'.repeat(24)),
      })
      const sent = await stack.api<{ id: string }>('POST', '/v1/messages', {
        to: { openid: user!.openid },
        template: templateId,
        data: ORDER_DATA,
      })
      expect(sent.status).toBe(202)
      const failed = await eventually(
        async () => {
          const rows = await db
            .selectFrom('webhook_deliveries')
            .select(['status', 'attempts', 'last_error'])
            .where('message_id', '=', sent.body.id)
            .execute()
          return rows.length > 0 && rows.every((r) => r.status === 'failed') ? rows : undefined
        },
        20_000,
        `deliveries to ${url} to fail`,
      )
      for (const row of failed) {
        expect(row.attempts).toBe(1) // refused at once, not retried
        expect(row.last_error).toMatch(/url_refused|private address/)
      }
    }
    expect(hits).toBe(0)
  })
})
