import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { validateKeywordValue, validateTemplateData } from './validate.ts'
import type { KeywordSpec } from './keyword-spec.ts'

const spec = (type: string, extra: Partial<KeywordSpec> = {}): KeywordSpec => ({
  key: `${type}1`,
  type,
  ...extra,
})

// The official examples (subscribeMessage.send "参数值限制") and values just inside each limit.
const VALID: [string, string][] = [
  ['thing', '合同A'],
  ['thing', '二十个字二十个字二十个字二十个字二十个字'],
  ['number', '12.5'],
  ['number', '0'],
  ['letter', 'ABC'],
  ['symbol', '%#'],
  ['character_string', 'SN-2019-01'],
  ['time', '15:01'],
  ['time', '15:01:59'],
  ['time', '2019年10月1日 15:01'],
  ['time', '15:01~16:30'],
  ['time', '2019-10-01 15:01 ~ 2019-10-02 09:00'],
  ['date', '2019年10月1日'],
  ['date', '2019年10月1日 15:01'],
  ['date', '2018-01-01'],
  ['date', '2018/01/01'],
  ['date', '2018.01.01'],
  ['date', '2018-01'],
  ['date', '01-01'],
  ['date', '2018年1月'],
  ['date', '1月1日'],
  ['date', '2026-09-07~2026-09-20'],
  ['amount', '¥100.00'],
  ['amount', '￥100'],
  ['amount', '10元'],
  ['amount', '$1234567890'],
  ['phone_number', '+86-0766-66888866'],
  ['car_number', '粤A8Z888挂'],
  ['car_number', '京A12345'],
  ['name', '王小二'],
  ['name', 'John Smith'],
  ['name', '阿卜杜·热合曼'],
  ['phrase', '配送中'],
  ['phrase', '五个纯汉字'],
  ['short_thing', 'D-3'],
  ['some_new_type', '新类型的值'],
]

const INVALID: [string, string, string][] = [
  ['thing', '二十一个字二十一个字二十一个字二十一个字二', 'max_length'],
  ['thing', '第一行\n第二行', 'control_char'],
  ['number', '12a', 'charset'],
  ['number', '1.2.3', 'format'],
  ['number', '-5', 'format'],
  ['number', '1'.repeat(33), 'max_length'],
  ['letter', 'AB1', 'charset'],
  ['letter', '中文', 'charset'],
  ['symbol', '%#a', 'charset'],
  ['symbol', '%%%%%%', 'max_length'],
  ['character_string', 'SN-2019-中', 'charset'],
  ['character_string', 'A'.repeat(33), 'max_length'],
  ['time', '25:00', 'format'],
  ['time', '2019年10月1日', 'format'],
  ['time', '下午三点', 'format'],
  ['date', '15:01', 'format'],
  ['date', '2019年13月1日', 'format'],
  ['date', '10月', 'format'],
  ['date', '2019-01-01~2019-01-02~2019-01-03', 'format'],
  ['amount', '100美元', 'format'],
  ['amount', '¥1,000', 'format'],
  ['amount', '¥12345678901', 'max_length'],
  ['phone_number', '+86 0766 中', 'charset'],
  ['phone_number', '1'.repeat(18), 'max_length'],
  ['car_number', '粤A8Z888挂1', 'format'],
  ['car_number', '粤A-8Z888', 'charset'],
  ['car_number', '粤A8Z8888挂', 'max_length'],
  ['name', '王小二1', 'charset'],
  ['name', '欧阳王小二王小二王小二', 'max_length'],
  ['name', 'Ab王小二王小二王小二', 'max_length'],
  ['name', 'A'.repeat(21), 'max_length'],
  ['phrase', '六个纯汉字了', 'max_length'],
  ['phrase', '配送中A', 'charset'],
  ['short_thing', '六个字的内容', 'max_length'],
  ['some_new_type', '二十一个字二十一个字二十一个字二十一个字二', 'max_length'],
  ['thing', '   ', 'empty'],
  ['thing', '', 'empty'],
]

describe('validateKeywordValue', () => {
  it.each(VALID)('accepts the %s value %s', (type, value) => {
    expect(validateKeywordValue(spec(type), value)).toBeNull()
  })

  it.each(INVALID)('refuses the %s value %j as %s', (type, value, rule) => {
    expect(validateKeywordValue(spec(type), value)?.rule).toBe(rule)
  })

  it('counts a Chinese character, and an emoji, as one character', () => {
    expect(validateKeywordValue(spec('thing'), '😀'.repeat(20))).toBeNull()
    expect(validateKeywordValue(spec('thing'), '😀'.repeat(21))?.limit).toBe(20)
  })

  it('accepts { value } objects and numbers for number and amount only', () => {
    expect(validateKeywordValue(spec('thing'), { value: '合同A' })).toBeNull()
    expect(validateKeywordValue(spec('number'), 12.5)).toBeNull()
    expect(validateKeywordValue(spec('amount'), 100)).toBeNull()
    expect(validateKeywordValue(spec('thing'), 12)?.rule).toBe('not_string')
    expect(validateKeywordValue(spec('number'), Number.NaN)?.rule).toBe('not_string')
  })

  it('checks enum values against the template values when it has them', () => {
    const s = spec('enum_string', { enumValues: ['客厅', '阳台'] })
    expect(validateKeywordValue(s, '阳台')).toBeNull()
    const v = validateKeywordValue(s, '厨房')
    expect(v?.rule).toBe('enum')
    expect(v?.zh).toContain('客厅')
    expect(validateKeywordValue(spec('enum'), '任何值')).toBeNull()
  })

  it('writes zh first and English beside it in every violation', () => {
    const v = validateKeywordValue(spec('thing'), 'x'.repeat(21))
    expect(v).toMatchObject({ key: 'thing1', type: 'thing', rule: 'max_length', limit: 20 })
    expect(v?.zh).toMatch(/[\u4e00-\u9fff]/)
    expect(v?.en).toMatch(/at most 20/)
  })

  it('never throws, whatever the input', () => {
    const types = fc.constantFrom(
      'thing',
      'number',
      'time',
      'date',
      'amount',
      'name',
      'car_number',
      'enum',
      'whatever',
    )
    fc.assert(
      fc.property(types, fc.anything(), (type, value) => {
        const result = validateKeywordValue(spec(type), value)
        expect(result === null || typeof result.rule === 'string').toBe(true)
      }),
    )
  })
})

describe('validateTemplateData', () => {
  const keywords: KeywordSpec[] = [
    { key: 'thing1', type: 'thing', name: '商品名称' },
    { key: 'amount3', type: 'amount', name: '金额' },
    { key: 'time4', type: 'time' },
  ]

  it('answers the string values when every field is valid', () => {
    const result = validateTemplateData(keywords, {
      thing1: '合同A',
      amount3: { value: '¥100.00' },
      time4: '15:01',
    })
    expect(result).toEqual({ ok: true, values: { thing1: '合同A', amount3: '¥100.00', time4: '15:01' } })
  })

  it('reports every bad field: missing, unknown, .DATA keys and each broken rule', () => {
    const result = validateTemplateData(keywords, {
      thing1: 'x'.repeat(21),
      amount3: 'abc',
      'time4.DATA': '15:01',
      extra9: 'x',
    })
    expect(result.ok).toBe(false)
    const found = result.ok ? [] : result.violations.map((v) => `${v.key}:${v.rule}`)
    expect(found).toEqual([
      'thing1:max_length',
      'amount3:format',
      'time4:missing',
      'time4.DATA:unknown_key',
      'extra9:unknown_key',
    ])
    const dataKey = result.ok ? undefined : result.violations.find((v) => v.key === 'time4.DATA')
    expect(dataKey?.en).toContain('without .DATA')
  })
})
