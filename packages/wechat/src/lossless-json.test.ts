import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseJsonLossless, quoteUnsafeIntegers } from './lossless-json.ts'

function hasUnsafeInteger(value: unknown): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && !Number.isSafeInteger(value)
  if (typeof value === 'object' && value !== null) return Object.values(value).some(hasUnsafeInteger)
  return false
}

describe('parseJsonLossless', () => {
  it('keeps integers beyond 2^53 exact as strings', () => {
    expect(parseJsonLossless('{"errcode":0,"msgid":1988810812324364291}')).toEqual({
      errcode: 0,
      msgid: '1988810812324364291',
    })
    expect(parseJsonLossless('[-9007199254740993, 9007199254740992]')).toEqual([
      '-9007199254740993',
      '9007199254740992',
    ])
  })

  it('leaves safe integers, decimals and digits inside strings alone', () => {
    const text =
      '{"a":9007199254740991,"b":1.5e300,"c":"12345678901234567890","d":"say \\"1234567890123456789\\""}'
    expect(quoteUnsafeIntegers(text)).toBe(text)
  })

  it('agrees with JSON.parse on any JSON without unsafe integers', () => {
    fc.assert(
      fc.property(
        fc.jsonValue().filter((v) => !hasUnsafeInteger(v)),
        (value) => {
          const text = JSON.stringify(value)
          expect(parseJsonLossless(text)).toEqual(JSON.parse(text))
        },
      ),
    )
  })

  it('round-trips any 64-bit integer as its exact decimal text', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n }), (n) => {
        const parsed = parseJsonLossless(`{"msgid":${n}}`) as { msgid: unknown }
        expect(String(parsed.msgid)).toBe(String(n))
      }),
    )
  })
})
