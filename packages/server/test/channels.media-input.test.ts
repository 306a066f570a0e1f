// Customer-service images and bad input, on both databases: an image is uploaded to wxpush once
// (same bytes, same id), to WeChat once for any number of messages while its media_id lives, and again
// after 3 days; each kind of bad content is a 4xx naming the field and the rule, with no WeChat call.
import { describe, expect, it } from 'vitest'
import { configureCallbacks } from '../src/testing/test-callbacks.ts'
import { DB_KINDS } from '../src/testing/test-db.ts'
import { eventually, useTestStack, type TestStack } from '../src/testing/test-stack.ts'
import { createTestUser } from '../src/testing/test-users.ts'
import type { MessageView } from '../src/testing/test-views.ts'

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
)

interface Refusal {
  error: { code: string; details: Record<string, unknown> }
}

async function uploadImage(stack: TestStack, bytes: Buffer, contentType = 'image/png') {
  const res = await fetch(`${stack.apiUrl}/v1/media`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': contentType },
    body: bytes,
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & Refusal }
}

async function calls(stack: TestStack, path: string) {
  const stats = await stack.control<{ calls: Record<string, { total: number }> }>(
    '/control/stats',
    undefined,
    'GET',
  )
  return stats.calls[path]?.total ?? 0
}

describe.each(DB_KINDS)('customer-service images and bad input on %s', (kind) => {
  const stack = useTestStack({ kind })

  it('uploads an image once, reuses WeChat’s media_id, and uploads again after 3 days', async () => {
    await configureCallbacks(stack)
    const user = await createTestUser(stack)
    const a = await uploadImage(stack, PNG)
    const b = await uploadImage(stack, PNG)
    expect(a.status).toBe(201)
    expect(b.body.id).toBe(a.body.id)
    await stack.control(`/control/apps/${stack.appId}/users/${user.openid}/messages`, { content: '发图' })
    await eventually(async () => {
      const r = await stack.api<{ window: { left: number } }>('GET', `/v1/users/${user.userId}/conversation`)
      return r.body.window.left === 5 ? true : undefined
    })
    const uploadsBefore = await calls(stack, '/cgi-bin/media/upload')
    const ids: string[] = []
    for (let i = 0; i < 2; i++) {
      const r = await stack.api<{ id: string }>('POST', '/v1/messages', {
        to: { openid: user.openid },
        channel: 'customer_service',
        content: { msgtype: 'image', image: { mediaId: a.body.id } },
      })
      expect(r.status).toBe(202)
      ids.push(r.body.id)
    }
    for (const id of ids)
      await eventually(async () => {
        const r = await stack.api<MessageView>('GET', `/v1/messages/${id}`)
        return r.body.status === 'sent' ? true : undefined
      })
    expect(await calls(stack, '/cgi-bin/media/upload')).toBe(uploadsBefore + 1)
    const got = (await user.inbox()) as unknown as { channel: string; content: { media_id: string } }[]
    const sent = got.filter((i) => i.channel === 'customer_service').map((i) => i.content.media_id)
    expect(new Set(sent).size).toBe(1)

    // Three days on (the store's clock moved, WeChat's too), the media_id is replaced by a new upload.
    const s = stack.wxpush.services
    const token = await s.tokens.get(stack.appId)
    const later = Date.now() + 3 * 86_400_000
    const again = await s.media.wechatMediaId(stack.appId, String(a.body.id), token, later)
    expect(again.ok && again.mediaId).not.toBe(sent[0])
    expect(await calls(stack, '/cgi-bin/media/upload')).toBe(uploadsBefore + 2)
  })

  it('refuses an upload that is not an image, or too large, naming the body', async () => {
    const notImage = await uploadImage(stack, Buffer.from('%PDF-1.4 not an image'))
    expect(notImage.status).toBe(415)
    expect(notImage.body.error).toMatchObject({
      code: 'channels.media_not_image',
      details: { field: 'body' },
    })
    const big = Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)])
    const tooLarge = await uploadImage(stack, big)
    expect(tooLarge.status).toBe(413)
    expect(tooLarge.body.error).toMatchObject({
      code: 'channels.media_too_large',
      details: { field: 'body' },
    })
  })

  it.each([
    [
      'content of another msgtype',
      { msgtype: 'text', image: { media_id: 'x' } },
      'content.image',
      'unknown_field',
    ],
    ['no body for the msgtype', { msgtype: 'text' }, 'content.text', 'required'],
    ['an unknown msgtype', { msgtype: 'voice', voice: {} }, 'content.msgtype', 'one_of'],
    [
      'text over 2048 bytes',
      { msgtype: 'text', text: { content: '字'.repeat(683) } },
      'content.text.content',
      'max_bytes',
    ],
    ['empty text', { msgtype: 'text', text: { content: '  ' } }, 'content.text.content', 'not_empty'],
    [
      'a link without title',
      { msgtype: 'link', link: { description: 'd', url: 'https://e.cn', thumb_url: 'https://e.cn/t.png' } },
      'content.link.title',
      'required',
    ],
    [
      'a link that is not http(s)',
      {
        msgtype: 'link',
        link: { title: 't', description: 'd', url: 'javascript:1', thumb_url: 'https://e.cn/t.png' },
      },
      'content.link.url',
      'url',
    ],
    [
      'a page path that is absolute',
      {
        msgtype: 'miniprogrampage',
        miniprogrampage: { title: 't', pagepath: '/pages/a', thumb_media_id: 'm' },
      },
      'content.miniprogrampage.pagepath',
      'page_path',
    ],
  ] as const)('refuses %s with 422 naming %s', async (_what, content, field, rule) => {
    const user = await createTestUser(stack)
    const before = await calls(stack, '/cgi-bin/message/custom/send')
    const r = await stack.api<Refusal>('POST', '/v1/messages', {
      to: { openid: user.openid },
      channel: 'customer_service',
      content,
    })
    expect(r.status).toBe(422)
    expect(r.body.error).toMatchObject({ code: 'channels.content_invalid', details: { field, rule } })
    expect(await calls(stack, '/cgi-bin/message/custom/send')).toBe(before)
  })

  it('refuses an unknown wxpush media id, an unknown channel and an unknown field, naming each', async () => {
    const user = await createTestUser(stack)
    const media = await stack.api<Refusal>('POST', '/v1/messages', {
      to: { openid: user.openid },
      channel: 'customer_service',
      content: { msgtype: 'image', image: { mediaId: 'med_nope' } },
    })
    expect(media.status).toBe(422)
    expect(media.body.error).toMatchObject({
      code: 'channels.media_not_found',
      details: { field: 'content.image.mediaId' },
    })
    const channel = await stack.api<Refusal>('POST', '/v1/messages', {
      to: { openid: user.openid },
      channel: 'sms',
    })
    expect(channel.status).toBe(400)
    expect(channel.body.error.details).toMatchObject({ field: 'channel' })
    const extra = await stack.api<Refusal>('POST', '/v1/messages', {
      to: { openid: user.openid },
      channel: 'customer_service',
      content: { msgtype: 'text', text: { content: 'hi' } },
      template: 'x',
    })
    expect(extra.status).toBe(400)
    expect(extra.body.error.details).toMatchObject({ field: 'template', rule: 'unknown_field' })
  })

  it('refuses fallback without a linked official account with 422 naming the field', async () => {
    const user = await createTestUser(stack)
    const r = await stack.api<Refusal>('POST', '/v1/messages', {
      to: { openid: user.openid },
      template: 'x',
      data: {},
      fallback: 'official_account',
    })
    expect(r.status).toBe(422)
    expect(r.body.error).toMatchObject({
      code: 'channels.no_linked_account',
      details: { field: 'body.fallback' },
    })
  })
})
