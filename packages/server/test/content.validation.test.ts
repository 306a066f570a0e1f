// Validation at the door, over real HTTP on both databases: the seed-003 order notice, every bad
// field in one 422 (key, type, rule, value), and fit: true with the changes it made.
import { beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../src/testing/test-db.ts'
import { eventually, useTestStack } from '../src/testing/test-stack.ts'
import {
  createTestTemplate,
  createTestUser,
  ORDER_DATA,
  ORDER_TEMPLATE,
  type TestUser,
} from '../src/testing/test-users.ts'
import type { ConsentView } from '../src/testing/test-views.ts'

interface Violation {
  key: string
  type: string
  rule: string
  value: unknown
  limit?: number
  zh: string
  en: string
}
interface SendAnswer {
  id: string
  status: string
  changes?: { key: string; from: string; to: string; why: string }[]
  error?: { code: string; message: string; details: { violations: Violation[]; template?: string } }
}

const LONG_THING = '一二三四五六七八九十一二三四五六七八九十一' // 21 characters

describe.each(DB_KINDS)('content validation and consent on %s', (kind) => {
  const stack = useTestStack({ kind })
  let orderId: string

  beforeAll(async () => {
    orderId = await createTestTemplate(stack, ORDER_TEMPLATE)
  })

  const send = (user: TestUser, data: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    stack.api<SendAnswer>('POST', '/v1/messages', {
      to: { openid: user.openid },
      template: 'order_notice',
      data,
      ...extra,
    })
  const consents = async (user: TestUser) =>
    (await stack.api<ConsentView[]>('GET', `/v1/users/${user.userId}/consents`)).body
  const consentOf = async (user: TestUser, templateId: string) =>
    (await consents(user)).find((c) => c.template === templateId)
  const settled = (id: string) =>
    eventually(async () => {
      const m = await stack.api<{ status: string; data: Record<string, string> }>('GET', `/v1/messages/${id}`)
      return m.body.status === 'sent' || m.body.status === 'failed' ? m.body : undefined
    })

  it('accepts the seed-003 order notice with amount3 "10元" and phrase4 "五个纯汉字"', async () => {
    const user = await createTestUser(stack)
    await user.accept([orderId])
    const res = await send(user, { ...ORDER_DATA, amount3: '10元', phrase4: '五个纯汉字' })
    expect(res.status).toBe(202)
    expect(res.body.changes).toBeUndefined()
    expect((await settled(res.body.id)).status).toBe('sent')
    const inbox = await user.inbox()
    expect(inbox[0]?.data.amount3?.value).toBe('10元')
    expect(inbox[0]?.data.phrase4?.value).toBe('五个纯汉字')
  })

  it('refuses a 21-character thing1 with 422 naming thing1, and reserves nothing', async () => {
    const user = await createTestUser(stack)
    await user.accept([orderId])
    const res = await send(user, { ...ORDER_DATA, thing1: LONG_THING })
    expect(res.status).toBe(422)
    expect(res.body.error?.code).toBe('messages.content_invalid')
    expect(res.body.error?.details.violations).toEqual([
      expect.objectContaining({
        key: 'thing1',
        type: 'thing',
        rule: 'max_length',
        limit: 20,
        value: LONG_THING,
      }),
    ])
    expect(res.body.error?.details.violations[0]?.zh).toContain('thing1')
    expect((await consentOf(user, orderId))?.credits).toBe(1)
  })

  it('accepts the 21-character thing1 with fit: true and says what it changed', async () => {
    const user = await createTestUser(stack)
    await user.accept([orderId])
    const res = await send(user, { ...ORDER_DATA, thing1: LONG_THING }, { fit: true })
    expect(res.status).toBe(202)
    const fitted = '一二三四五六七八九十一二三四五六七八九…'
    expect(res.body.changes).toEqual([
      { key: 'thing1', from: LONG_THING, to: fitted, why: expect.stringContaining('20') },
    ])
    expect((await settled(res.body.id)).status).toBe('sent')
    expect((await user.inbox())[0]?.data.thing1?.value).toBe(fitted)
    expect((await consentOf(user, orderId))?.credits).toBe(0)
  })

  it('lists every bad field in one 422: unknown key, missing key and each rule break', async () => {
    const user = await createTestUser(stack)
    const data = {
      thing1: LONG_THING,
      number2: 'A-12',
      amount3: '十元',
      phrase4: '配送中abc',
      thing9: '多余',
      'thing6.DATA': '王经理',
    }
    const res = await send(user, data)
    expect(res.status).toBe(422)
    expect(res.body.error?.code).toBe('messages.content_invalid')
    const found = res.body.error?.details.violations ?? []
    expect(found.map((v) => [v.key, v.type, v.rule])).toEqual(
      expect.arrayContaining([
        ['thing1', 'thing', 'max_length'],
        ['number2', 'number', expect.stringMatching(/^(charset|format)$/)],
        ['amount3', 'amount', expect.stringMatching(/^(charset|format)$/)],
        ['phrase4', 'phrase', expect.stringMatching(/^(charset|max_length)$/)],
        ['thing6', 'thing', 'missing'],
        ['thing9', expect.any(String), 'unknown_key'],
        ['thing6.DATA', expect.any(String), 'unknown_key'],
      ]),
    )
    expect(found).toHaveLength(7)
    for (const v of found) {
      expect(v.value).toEqual((data as Record<string, unknown>)[v.key])
      expect(v.zh.length).toBeGreaterThan(0)
      expect(v.en.length).toBeGreaterThan(0)
    }
    // English on request; the violations are the same.
    const en = await stack.api<SendAnswer>(
      'POST',
      '/v1/messages',
      { to: { openid: user.openid }, template: 'order_notice', data },
      { 'accept-language': 'en' },
    )
    expect(en.body.error?.message).toMatch(/keyword rules/)
    expect(en.body.error?.details.violations).toHaveLength(7)
  })

  it('fits only what is safe: with fit: true a letter in number2 is still refused, thing1 no longer', async () => {
    const user = await createTestUser(stack)
    const res = await send(user, { ...ORDER_DATA, thing1: LONG_THING, number2: '12a' }, { fit: true })
    expect(res.status).toBe(422)
    expect(res.body.error?.details.violations.map((v) => v.key)).toEqual(['number2'])
  })

  it('refuses a keyword value of the wrong shape with 400 naming the field', async () => {
    const user = await createTestUser(stack)
    const res = await stack.api<{ error: { code: string; details: { fields: { field: string }[] } } }>(
      'POST',
      '/v1/messages',
      {
        to: { openid: user.openid },
        template: 'order_notice',
        data: { ...ORDER_DATA, thing1: { text: '合同A' } },
      },
    )
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('request.invalid')
    expect(res.body.error.details.fields.map((f) => f.field).join(' ')).toContain('thing1')
  })
})
