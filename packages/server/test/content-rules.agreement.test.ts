// One corpus through both implementations of WeChat's keyword rules: the client's (packages/wechat, what
// wxpush checks before sending) and the simulator's own (what "WeChat" answers here). They are written
// apart on purpose; this test fails on any value they judge differently. The rules and their sources
// (the official subscribeMessage.send table "参数值限制",
// https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html)
// are in packages/wechat/README.md, "Content rules as implemented".
import { KNOWN_TYPES, validateKeywordValue } from '@wxpush/wechat'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkKeywordValue as checkValue } from '@wxpush/simulator'

const ENUM_VALUES = ['待支付', '已支付']

function clientAccepts(type: string, value: string): boolean {
  const enumValues = type.startsWith('enum') ? ENUM_VALUES : undefined
  return (
    validateKeywordValue({ key: `${type}1`, type, ...(enumValues ? { enumValues } : {}) }, value) === null
  )
}

function simulatorAccepts(type: string, value: string): boolean {
  return checkValue(type, value, type.startsWith('enum') ? ENUM_VALUES : undefined) === 'ok'
}

const TYPES = [...KNOWN_TYPES, 'some_future_type']

// Each row: values chosen at the edges of the rules the two sides once disagreed on, and the rest of the table.
const CORPUS: readonly string[] = [
  // amount: the 10 digits count decimals; any one currency symbol; optional 元
  '¥100.00',
  '10元',
  '￥100',
  '0.01',
  '$1,000',
  '¥1.234',
  '1234567890',
  '12345678901',
  '12345678.90',
  '123456789.01',
  '€5',
  '£5',
  '₩5000',
  '฿20',
  '¥10元',
  '¥¥10',
  '-1',
  '1e5',
  '.5',
  '5.',
  'RMB5',
  // short_thing: ≤ 5 characters
  'D-3',
  '五个字内容',
  '六个字的内容',
  'abcde',
  'abcdef',
  // car_number: ≤ 8, Chinese only first or last, no minimum length
  'A',
  '粤',
  '粤A',
  '粤A8Z888挂',
  '粤A8Z888挂挂',
  '粤A8中88',
  'A12345',
  '挂A',
  'AB-123',
  // whitespace, control characters and lone surrogates
  ' ',
  '   ',
  '\u3000',
  'a b',
  'a\nb',
  'a\tb',
  '\u2028',
  'k\ud800',
  '\udc00',
  // symbols other than ASCII
  '%#',
  '-----',
  '%%%%%%',
  '😀',
  '\u00a0',
  '\u200d',
  '①',
  'é',
  'Ж',
  // the rest of the official table
  '合同A',
  '二'.repeat(20),
  '二'.repeat(21),
  '12.5',
  '0',
  '9'.repeat(32),
  '9'.repeat(33),
  '12a',
  'ABC',
  'a'.repeat(32),
  'a'.repeat(33),
  'SN-2019-01',
  '中文',
  '+86-0766-66888866',
  '13800138000',
  '1'.repeat(18),
  '+-',
  '王小二',
  'John Smith',
  '李Li',
  'R2D2',
  '王'.repeat(11),
  '配送中',
  '五个汉字呀',
  '六个汉字不行',
  '15:01',
  '15:01:59',
  '25:00',
  '2019年10月1日',
  '2019年10月',
  '10月1日',
  '10月',
  '2018-01-01',
  '2018/01/01',
  '2018.01.01',
  '2018.01',
  '01-01',
  '0.1',
  '13-01',
  '2019-13-01',
  '2019年10月1日 15:01',
  '2019-10-01 15:01',
  '15:01~16:00',
  '2019-10-01~2019-10-07',
  '待支付',
  '已取消',
]

// Characters from every class the rules distinguish, for generated values.
const ALPHABET = [
  '粤',
  '中',
  'A',
  'z',
  '0',
  '9',
  '.',
  '-',
  ':',
  ' ',
  '¥',
  '$',
  '元',
  '年',
  '月',
  '日',
  '~',
  '/',
  '#',
  '😀',
  '\u00a0',
  '\t',
  'é',
]

describe('content rules: the client and the simulator agree', () => {
  it('on every value of the corpus, for every type', () => {
    const disagreements: string[] = []
    for (const type of TYPES) {
      for (const value of CORPUS) {
        const client = clientAccepts(type, value)
        if (client !== simulatorAccepts(type, value)) {
          disagreements.push(`${type} ${JSON.stringify(value)}: client ${client ? 'accepts' : 'refuses'}`)
        }
      }
    }
    expect(disagreements).toEqual([])
  })

  it('on generated values', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TYPES),
        fc.array(fc.constantFrom(...ALPHABET), { maxLength: 12 }),
        (type, chars) => {
          const value = chars.join('')
          expect(simulatorAccepts(type, value), `${type} ${JSON.stringify(value)}`).toBe(
            clientAccepts(type, value),
          )
        },
      ),
      { numRuns: 20_000 },
    )
  })
})
