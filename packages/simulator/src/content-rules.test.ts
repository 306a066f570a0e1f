import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkValue, firstContentError, ruleOfKey } from './content-rules.ts'

const TABLE: [rule: string, ok: string[], bad: string[]][] = [
  ['thing', ['合同A', '二'.repeat(20), 'Order #12'], ['二'.repeat(21), 'a\nb']],
  ['number', ['12.5', '0', '9'.repeat(32)], ['1e5', '-1', '9'.repeat(33), '12a']],
  ['letter', ['ABC', 'a'.repeat(32)], ['AB1', '中', 'a'.repeat(33)]],
  ['symbol', ['%#', '-----'], ['%%%%%%', 'a%']],
  ['character_string', ['SN-2019-01', 'x'.repeat(32)], ['中文', 'x'.repeat(33)]],
  [
    'time',
    ['15:01', '15:01:59', '2019年10月1日 15:01', '2019-10-01 15:01', '15:01~16:00'],
    ['25:00', '15点', '2019年10月1日'],
  ],
  [
    'date',
    [
      '2019年10月1日',
      '2019年10月',
      '10月1日',
      '2018-01-01',
      '2018/01/01',
      '2018.01',
      '01-01',
      '2019年10月1日 15:01',
      '2019-10-01~2019-10-07',
    ],
    ['2019-13-01', 'tomorrow', '15:01'],
  ],
  // The 10 digits include the decimals; any one currency symbol (packages/wechat/README.md).
  [
    'amount',
    ['¥100.00', '10元', '￥100', '0.01', '¥1.234', '₩5000'],
    ['100 dollars', '¥12345678901', '¥123456789.01'],
  ],
  ['short_thing', ['D-3', '五个字内容'], ['六个字的内容']],
  ['phone_number', ['+86-0766-66888866', '13800138000'], ['1'.repeat(18), 'call me']],
  ['car_number', ['粤A8Z888挂', 'A12345', 'A'], ['粤A8Z888挂挂', '粤A8中88']],
  ['name', ['王小二', 'John Smith', '李Li'], ['王'.repeat(11), 'a'.repeat(21), 'R2D2']],
  ['phrase', ['配送中', '五个汉字呀'], ['六个汉字不行', 'ok']],
]

describe('content rules', () => {
  for (const [rule, good, bad] of TABLE) {
    it(`accepts and refuses ${rule} values as the official table says`, () => {
      for (const v of good) expect(checkValue(rule, v), `${rule} ${v}`).toBe('ok')
      for (const v of bad) expect(checkValue(rule, v), `${rule} ${v}`).toBe('invalid')
    })
  }

  it('accepts only template enum values for enum keywords', () => {
    expect(checkValue('enum_string', '待支付', ['待支付', '已支付'])).toBe('ok')
    expect(checkValue('enum_string', '已取消', ['待支付', '已支付'])).toBe('invalid')
  })

  it('derives the rule from the key whatever the number after it', () => {
    expect(ruleOfKey('character_string13')).toBe('character_string')
    expect(ruleOfKey('thing1')).toBe('thing')
    expect(ruleOfKey('short_thing6')).toBe('short_thing')
  })

  it('names the first bad field, missing keywords included', () => {
    const kws = [
      { key: 'thing1', rule: 'thing' },
      { key: 'amount2', rule: 'amount' },
      { key: 'character_string13', rule: 'character_string' },
    ]
    expect(firstContentError(kws, { thing1: { value: 'a' }, amount2: { value: '0.01' } })).toBe(
      'data.character_string13.value is emtpy',
    )
    expect(firstContentError(kws, { thing1: { value: 'a' }, amount2: { value: 'x' } })).toBe(
      'data.amount2.value invalid',
    )
    expect(
      firstContentError(kws, {
        thing1: { value: 'a' },
        amount2: { value: 1 },
        character_string13: { value: 'A-1' },
      }),
    ).toBeUndefined()
  })

  it('counts thing length in code points, a Chinese character being one', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('中', 'a', '1', '#'), minLength: 1, maxLength: 40 }),
        (s) => {
          expect(checkValue('thing', s)).toBe(Array.from(s).length <= 20 ? 'ok' : 'invalid')
        },
      ),
    )
  })

  it('refuses any value holding a control character', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('thing', 'number', 'name', 'time', 'phrase'),
        fc.integer({ min: 0, max: 31 }),
        (rule, c) => {
          expect(checkValue(rule, `1${String.fromCharCode(c)}`)).toBe('invalid')
        },
      ),
    )
  })
})
