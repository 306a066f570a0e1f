import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fitKeywordValue, fitTemplateData } from './fit.ts'
import { validateKeywordValue } from './validate.ts'
import type { KeywordSpec } from './keyword-spec.ts'
import { KNOWN_TYPES } from './type-rules.ts'

const spec = (type: string): KeywordSpec => ({ key: `${type}1`, type })

describe('fitKeywordValue', () => {
  it('shortens a long thing to 20 characters ending with …', () => {
    const result = fitKeywordValue(spec('thing'), '一二三四五六七八九十'.repeat(3))
    expect(result).toMatchObject({ ok: true, value: '一二三四五六七八九十一二三四五六七八九…' })
    expect(result.ok && result.change?.why).toBe('truncated to 20 characters with …')
  })

  it('shortens a short_thing to its limit', () => {
    expect(fitKeywordValue(spec('short_thing'), '六个字的内容')).toMatchObject({
      ok: true,
      value: '六个字的…',
    })
  })

  it('replaces line breaks in a thing with a space and trims', () => {
    const result = fitKeywordValue(spec('thing'), '  合同A\r\n第二行 ')
    expect(result).toMatchObject({ ok: true, value: '合同A 第二行' })
  })

  it('leaves a valid value alone and reports no change', () => {
    expect(fitKeywordValue(spec('thing'), '合同A')).toEqual({ ok: true, value: '合同A' })
  })

  it('formats a Date as a Shanghai date and time for time and date keywords', () => {
    const at = new Date('2019-10-01T07:01:00Z')
    expect(fitKeywordValue(spec('time'), at)).toMatchObject({ ok: true, value: '2019年10月1日 15:01' })
    expect(fitKeywordValue(spec('date'), at)).toMatchObject({ ok: true, value: '2019年10月1日 15:01' })
    expect(fitKeywordValue(spec('date'), new Date('2019-09-30T16:00:00Z'))).toMatchObject({
      ok: true,
      value: '2019年10月1日',
    })
  })

  it('formats an ISO-8601 string with an offset in Shanghai time, and one without as Shanghai wall time', () => {
    expect(fitKeywordValue(spec('time'), '2019-10-01T07:01:00Z')).toMatchObject({
      value: '2019年10月1日 15:01',
    })
    expect(fitKeywordValue(spec('time'), '2019-10-01T15:01:00+08:00')).toMatchObject({
      value: '2019年10月1日 15:01',
    })
    expect(fitKeywordValue(spec('time'), '2019-10-01T15:01')).toMatchObject({ value: '2019年10月1日 15:01' })
  })

  it('keeps a documented date form as it is', () => {
    expect(fitKeywordValue(spec('date'), '2019-10-01')).toEqual({ ok: true, value: '2019-10-01' })
  })

  it('never fits an illegal character class', () => {
    const result = fitKeywordValue(spec('number'), '12a')
    expect(result.ok).toBe(false)
    expect(!result.ok && result.violation.rule).toBe('charset')
    expect(fitKeywordValue(spec('phrase'), '配送中A').ok).toBe(false)
  })

  it('fits a number given as a JS number', () => {
    expect(fitKeywordValue(spec('number'), 12.5)).toEqual({ ok: true, value: '12.5' })
  })

  it('answers a value that always validates when it answers ok', () => {
    const types = fc.constantFrom(...KNOWN_TYPES, 'other_type')
    const values = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.string({ maxLength: 40 }),
      fc.date(),
      fc.double(),
      fc.anything(),
    )
    fc.assert(
      fc.property(types, values, (type, value) => {
        const s = spec(type)
        const fitted = fitKeywordValue(s, value)
        if (fitted.ok) expect(validateKeywordValue(s, fitted.value)).toBeNull()
        else expect(typeof fitted.violation.rule).toBe('string')
      }),
      { numRuns: 2000 },
    )
  })

  it('shortens any long thing to exactly 20 characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 21, maxLength: 60 }), (text) => {
        const fitted = fitKeywordValue(spec('thing'), text)
        if (fitted.ok) expect([...fitted.value].length).toBeLessThanOrEqual(20)
      }),
    )
  })
})

describe('fitTemplateData', () => {
  it('answers fitted values with the list of changes', () => {
    const keywords: KeywordSpec[] = [spec('thing'), spec('time')]
    const result = fitTemplateData(keywords, {
      thing1: ' 合同A ',
      time1: { value: new Date('2019-10-01T07:01:00Z') },
    })
    expect(result).toMatchObject({ ok: true, values: { thing1: '合同A', time1: '2019年10月1日 15:01' } })
    expect(result.ok && result.changes.map((c) => c.key)).toEqual(['thing1', 'time1'])
  })

  it('reports every violation that no safe fix can remove', () => {
    const result = fitTemplateData([spec('number'), spec('phrase'), spec('thing')], {
      number1: '1a',
      phrase1: 'abc',
      other: 'x',
    })
    expect(result.ok ? [] : result.violations.map((v) => `${v.key}:${v.rule}`)).toEqual([
      'number1:charset',
      'phrase1:charset',
      'thing1:missing',
      'other:unknown_key',
    ])
  })
})
