// What each keyword type allows. Source: the official subscribeMessage.send table ("参数值限制"), quoted in
// docs/wechat.md §3.4 and in README.md. Lengths count code points, as WeChat counts
// characters: a Chinese character is one ([...value].length, never value.length).

import { isTimeOrDate } from './date-time.ts'
import type { KeywordSpec } from './keyword-spec.ts'

export type RuleBroken = {
  rule: 'control_char' | 'max_length' | 'charset' | 'format' | 'enum'
  limit?: number
}

export const charCount = (value: string): number => [...value].length

// "不能带有换行等控制字符": C0/C1 controls, line/paragraph separators, and lone surrogates (not characters).
export const CONTROL_CHAR = /[\p{Cc}\u2028\u2029\p{Cs}]/u
const HAN = /^\p{Script=Han}$/u
const LETTER = /^[A-Za-z]$/
const DIGIT = /^[0-9]$/
// "符号表示除中文、英文、数字外的常见符号": punctuation and symbols; a plain space counts as one (unconfirmed).
const SYMBOL = /^[\p{P}\p{S} ]$/u

type CharClass = 'han' | 'letter' | 'digit' | 'symbol'
const CLASS_TEST: Record<CharClass, RegExp> = { han: HAN, letter: LETTER, digit: DIGIT, symbol: SYMBOL }

function onlyClasses(value: string, classes: readonly CharClass[]): boolean {
  return [...value].every((ch) => classes.some((c) => CLASS_TEST[c].test(ch)))
}

/** The documented length limit of a type, for the types that have one. */
export const MAX_LENGTH: Readonly<Record<string, number>> = {
  thing: 20,
  // Not in any official table; 5 is what community code assumes (README: Unconfirmed).
  short_thing: 5,
  number: 32,
  letter: 32,
  symbol: 5,
  character_string: 32,
  phone_number: 17,
  car_number: 8,
  phrase: 5,
}

/** The length limit for types WeChat does not document (validated leniently). */
export const UNKNOWN_TYPE_MAX_LENGTH = 20

const AMOUNT = /^(\p{Sc})?(\d+)(?:\.(\d+))?(元)?$/u
const AMOUNT_MAX_DIGITS = 10
const NUMBER = /^\d+(?:\.\d+)?$/
const CAR_NUMBER = /^[\p{Script=Han}A-Za-z0-9][A-Za-z0-9]*\p{Script=Han}?$/u

function lengthWithin(value: string, limit: number): RuleBroken | null {
  return charCount(value) > limit ? { rule: 'max_length', limit } : null
}

function charsetThenLength(value: string, classes: readonly CharClass[], limit: number): RuleBroken | null {
  return onlyClasses(value, classes) ? lengthWithin(value, limit) : { rule: 'charset' }
}

/** The types this package knows the rules of (everything else is validated leniently). */
export const KNOWN_TYPES: readonly string[] = [
  'thing',
  'short_thing',
  'number',
  'letter',
  'symbol',
  'character_string',
  'time',
  'date',
  'amount',
  'phone_number',
  'car_number',
  'name',
  'phrase',
  'enum',
  'enum_string',
]

/**
 * Checks a non-empty string without control characters against its type's rule. Charset comes before length:
 * a value of the wrong characters cannot be fixed by shortening it.
 */
export function checkTypeRule(spec: KeywordSpec, value: string): RuleBroken | null {
  switch (spec.type) {
    case 'thing':
    case 'short_thing':
      return lengthWithin(value, MAX_LENGTH[spec.type] ?? UNKNOWN_TYPE_MAX_LENGTH)
    case 'number':
      if (!onlyClasses(value, ['digit', 'symbol'])) return { rule: 'charset' }
      return NUMBER.test(value) ? lengthWithin(value, 32) : { rule: 'format' }
    case 'letter':
      return charsetThenLength(value, ['letter'], 32)
    case 'symbol':
      return charsetThenLength(value, ['symbol'], 5)
    case 'character_string':
      return charsetThenLength(value, ['digit', 'letter', 'symbol'], 32)
    case 'phone_number':
      return charsetThenLength(value, ['digit', 'symbol'], 17)
    case 'phrase':
      return charsetThenLength(value, ['han'], 5)
    case 'car_number':
      if (!onlyClasses(value, ['han', 'letter', 'digit'])) return { rule: 'charset' }
      return CAR_NUMBER.test(value) ? lengthWithin(value, 8) : { rule: 'format' }
    case 'name':
      // Chinese ≤ 10, or letters and symbols ≤ 20; a mix with any Chinese counts as Chinese (≤ 10).
      if (!onlyClasses(value, ['han', 'letter', 'symbol'])) return { rule: 'charset' }
      return [...value].some((ch) => HAN.test(ch)) ? lengthWithin(value, 10) : lengthWithin(value, 20)
    case 'time':
    case 'date':
      return isTimeOrDate(value, spec.type) ? null : { rule: 'format' }
    case 'amount': {
      const m = AMOUNT.exec(value)
      if (m === null) return { rule: 'format' }
      const digits = (m[2] ?? '').length + (m[3] ?? '').length
      return digits > AMOUNT_MAX_DIGITS ? { rule: 'max_length', limit: AMOUNT_MAX_DIGITS } : null
    }
    case 'enum':
    case 'enum_string':
      if (spec.enumValues === undefined || spec.enumValues.length === 0) return null
      return spec.enumValues.includes(value) ? null : { rule: 'enum' }
    default:
      return lengthWithin(value, UNKNOWN_TYPE_MAX_LENGTH)
  }
}
