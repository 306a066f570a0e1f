// verifyWebhook against the server's own signer (signWebhook) and against a real delivery from the
// running stack: the same rule on both sides, tampering and replays refused.
import { createServer, type IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { signWebhook } from '@wxpush/server/webhooks/signature'
import { eventually, useTestStack } from '@wxpush/server/testing/test-stack'
import {
  createTestTemplate,
  createTestUser,
  ORDER_DATA,
  ORDER_TEMPLATE,
} from '@wxpush/server/testing/test-users'
import { verifyWebhook, WxpushError } from '../src/index.ts'

const SECRET = 'webhook-secret-for-sdk-tests-0123'

describe('verifyWebhook', () => {
  it('accepts the server’s signature over the raw body and refuses tampering, other secrets and replays', () => {
    const now = Date.now()
    const body = JSON.stringify({ type: 'message.status', messageId: 'm1', status: 'sent', note: '中文' })
    const signature = signWebhook({ secret: SECRET, timestamp: Math.floor(now / 1000), body })
    expect(
      verifyWebhook(SECRET, { 'X-Wxpush-Signature': signature }, body, { now: () => now }),
    ).toMatchObject({
      messageId: 'm1',
    })
    expect(
      verifyWebhook(SECRET, new Headers({ 'x-wxpush-signature': signature }), Buffer.from(body), {
        now: () => now,
      }),
    ).toMatchObject({ status: 'sent' })
    const reason = (f: () => unknown) => {
      try {
        f()
      } catch (e) {
        expect(e).toBeInstanceOf(WxpushError)
        return (e as WxpushError).details['reason']
      }
      return 'accepted'
    }
    const at = { now: () => now }
    expect(
      reason(() =>
        verifyWebhook(SECRET, { 'x-wxpush-signature': signature }, body.replace('sent', 'fail'), at),
      ),
    ).toBe('mismatch')
    expect(
      reason(() =>
        verifyWebhook('another-secret-of-enough-length', { 'x-wxpush-signature': signature }, body, at),
      ),
    ).toBe('mismatch')
    expect(reason(() => verifyWebhook(SECRET, {}, body, at))).toBe('missing')
    expect(reason(() => verifyWebhook(SECRET, { 'x-wxpush-signature': 't=1,v1=zz' }, body, at))).toBe(
      'malformed',
    )
    expect(
      reason(() =>
        verifyWebhook(SECRET, { 'x-wxpush-signature': signature }, body, { now: () => now + 301_000 }),
      ),
    ).toBe('timestamp')
  })
})

describe('verifyWebhook on a real delivery', () => {
  const stack = useTestStack({ kind: 'pglite' })

  it('verifies what the running service posts to the webhook', async () => {
    const received: { headers: IncomingMessage['headers']; raw: Buffer }[] = []
    const server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        received.push({ headers: req.headers, raw: Buffer.concat(chunks) })
        res.writeHead(204).end()
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    try {
      const port = (server.address() as { port: number }).port
      const { apiKey: adminKey } = await stack.wxpush.services.apps.issueApiKey(stack.appId, 'admin')
      const put = await stack.api(
        'PUT',
        `/v1/apps/${stack.appId}/webhook`,
        { url: `http://127.0.0.1:${port}/hook`, secret: SECRET },
        { authorization: `Bearer ${adminKey}` },
      )
      expect(put.status).toBe(200)
      const templateId = await createTestTemplate(stack, ORDER_TEMPLATE)
      const u = await createTestUser(stack)
      expect((await u.accept([templateId])).status).toBe(200)
      const sent = await stack.api<{ id: string }>('POST', '/v1/messages', {
        to: { userId: u.userId },
        template: 'order_notice',
        data: ORDER_DATA,
      })
      expect(sent.status).toBe(202)
      const delivery = await eventually(
        async () => received.find((r) => r.raw.toString('utf8').includes(sent.body.id)),
        20_000,
        'the webhook delivery',
      )
      expect(verifyWebhook(SECRET, delivery.headers, delivery.raw)).toMatchObject({
        type: 'message.status',
        messageId: sent.body.id,
      })
      expect(() => verifyWebhook('not-the-secret-of-this-hook', delivery.headers, delivery.raw)).toThrow(
        WxpushError,
      )
    } finally {
      server.close()
    }
  })
})
