import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { keywordTypeOf, parseTemplateContent, withEnumValues } from './keyword-spec.ts'

const typeArb = fc.stringMatching(/^[a-z]+(?:_[a-z]+)*$/)
const suffixArb = fc.integer({ min: 0, max: 99 }).map(String)

describe('keywordTypeOf', () => {
  it.each([
    ['thing1', 'thing'],
    ['character_string13', 'character_string'],
    ['number01', 'number'],
    ['enum_string2', 'enum_string'],
    ['short_thing6', 'short_thing'],
    ['time4.DATA', 'time'],
  ])('reads %s as the type %s', (key, type) => {
    expect(keywordTypeOf(key)).toBe(type)
  })

  it('recovers the type from any type followed by any number', () => {
    fc.assert(
      fc.property(typeArb, suffixArb, (type, n) => {
        expect(keywordTypeOf(`${type}${n}`)).toBe(type)
      }),
    )
  })
})

describe('parseTemplateContent', () => {
  it('reads the keywords, types and labels of a template content', () => {
    expect(parseTemplateContent('商品名称:{{thing1.DATA}}\n金额:{{amount3.DATA}}')).toEqual([
      { key: 'thing1', type: 'thing', name: '商品名称' },
      { key: 'amount3', type: 'amount', name: '金额' },
    ])
  })

  it('reads the official gettemplate example with a trailing newline and enum_string keywords', () => {
    const keywords = parseTemplateContent(
      '完成时间:{{time1.DATA}}\n所在位置:{{enum_string2.DATA}}\n提示说明:{{enum_string3.DATA}}\n',
    )
    expect(keywords.map((k) => `${k.key}/${k.type}/${k.name ?? ''}`)).toEqual([
      'time1/time/完成时间',
      'enum_string2/enum_string/所在位置',
      'enum_string3/enum_string/提示说明',
    ])
  })

  it('keeps each key once and names two placeholders on one line separately', () => {
    expect(parseTemplateContent('从{{thing1.DATA}}到{{thing2.DATA}}，{{thing1.DATA}}')).toEqual([
      { key: 'thing1', type: 'thing', name: '从' },
      { key: 'thing2', type: 'thing', name: '到' },
    ])
  })

  it('round-trips: rendering specs as content and parsing gives the same specs back', () => {
    const specArb = fc.record({
      type: typeArb,
      n: suffixArb,
      name: fc.stringMatching(/^[\u4e00-\u9fa5A-Za-z]{1,8}$/),
    })
    fc.assert(
      fc.property(fc.uniqueArray(specArb, { selector: (s) => `${s.type}${s.n}` }), (specs) => {
        const content = specs.map((s) => `${s.name}:{{${s.type}${s.n}.DATA}}`).join('\n')
        expect(parseTemplateContent(content)).toEqual(
          specs.map((s) => ({ key: `${s.type}${s.n}`, type: s.type, name: s.name })),
        )
      }),
    )
  })

  it('adds enum values whose keywordCode carries .DATA', () => {
    const keywords = withEnumValues(parseTemplateContent('状态:{{enum1.DATA}}'), [
      { keywordCode: 'enum1.DATA', enumValueList: ['待支付'] },
    ])
    expect(keywords).toEqual([{ key: 'enum1', type: 'enum', name: '状态', enumValues: ['待支付'] }])
  })
})
