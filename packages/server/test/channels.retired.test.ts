// The retired channels, truthfully, on both databases: `channel: "template"` and `"uniform"` answer
// 410 channels.retired naming the date, WeChat's present-day answer and the successor, with no WeChat
// call; and the simulator's retired endpoints answer exactly the errcode the 410 names (source:
// the announcements cited in @wxpush/wechat RETIRED_CHANNELS), through the real client.
import { RETIRED_CHANNELS, createWechatClient } from '@wxpush/wechat'
import { describe, expect, it } from 'vitest'
import { DB_KINDS } from '../src/testing/test-db.ts'
import { useTestStack } from '../src/testing/test-stack.ts'
import { createTestUser } from '../src/testing/test-users.ts'

interface Refusal {
  error: { code: string; message: string; details: Record<string, unknown> }
}

const callsTo = async (
  stack: { control: <T>(p: string, b?: unknown, m?: string) => Promise<T> },
  path: string,
) => {
  const stats = await stack.control<{ calls: Record<string, { total: number }> }>(
    '/control/stats',
    undefined,
    'GET',
  )
  return stats.calls[path]?.total ?? 0
}

describe.each(DB_KINDS)('retired channels on %s', (kind) => {
  const stack = useTestStack({ kind })

  it.each([
    ['template', '2020-01-10', 48001, { form_id: 'the-form-id', template_id: 'x', data: {} }],
    ['uniform', '2023-09-20', 45109, { weapp_template_msg: { form_id: 'f' } }],
  ] as const)(
    'channel "%s" answers 410: retired %s, WeChat answers %i',
    async (channel, date, errcode, extra) => {
      const user = await createTestUser(stack)
      const before = await callsTo(stack, RETIRED_CHANNELS[channel].path)
      const r = await stack.api<Refusal>(
        'POST',
        '/v1/messages',
        { to: { openid: user.openid }, channel, ...extra },
        { 'accept-language': 'en' },
      )
      expect(r.status).toBe(410)
      expect(r.body.error.code).toBe('channels.retired')
      expect(r.body.error.details).toMatchObject({ channel, retiredOn: date, wechatErrcode: errcode })
      expect(String(r.body.error.details.useInstead)).toContain('POST /v1/messages')
      expect(r.body.error.message).toContain(date)
      expect(await callsTo(stack, RETIRED_CHANNELS[channel].path)).toBe(before)
    },
  )

  it('the simulator’s retired endpoints answer what the 410 says WeChat answers', async () => {
    const user = await createTestUser(stack)
    const wechat = createWechatClient({ baseUrl: stack.simulatorUrl })
    const accessToken = await stack.wxpush.services.tokens.get(stack.appId)
    const template = await wechat.sendLegacyTemplateMessage({
      accessToken,
      body: { touser: user.openid, template_id: 'x', form_id: 'f', data: {} },
    })
    expect(template).toMatchObject({ ok: false, errcode: RETIRED_CHANNELS.template.wechatErrcode })
    const uniform = await wechat.sendUniformMessage({
      accessToken,
      body: { touser: user.openid, weapp_template_msg: { template_id: 'x', form_id: 'f', data: {} } },
    })
    expect(uniform).toMatchObject({ ok: false, errcode: RETIRED_CHANNELS.uniform.wechatErrcode })
  })
})
