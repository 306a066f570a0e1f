// The simulator's own check of subscription-message values (docs/wechat.md §3.4), written
// independently of packages/wechat so that a bug on either side fails a test against the other.
// Characters are counted as Unicode code points (a Chinese character is one). Every value is
// refused when empty (or only whitespace) or when it holds a control character (newline, tab, …)
// or a lone surrogate. `short_thing` is ≤ 5 characters; unknown types are accepted up to 20.
// The settled rules and their sources: packages/wechat/README.md, "Content rules as implemented".

export type RuleVerdict = 'ok' | 'empty' | 'invalid'

const CONTROL = /[\p{Cc}\u2028\u2029\p{Cs}]/u
const HAN = /^\p{Script=Han}$/u
// "符号表示除中文、英文、数字外的常见符号": Unicode punctuation and symbols, and the plain space.
const COMMON_SYMBOL = /^[\p{P}\p{S} ]$/u
const ASCII_LETTER = /^[A-Za-z]$/
const ASCII_ALNUM = /^[A-Za-z0-9]$/
const DIGIT = /^[0-9]$/

const TIME = String.raw`(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?`
const DATE_CN = String.raw`(?:\d{4}年\d{1,2}月\d{1,2}日|\d{4}年\d{1,2}月|\d{1,2}月\d{1,2}日)`
const DATE_SEP = String.raw`(?:\d{4}([-/.])\d{1,2}\1\d{1,2}|\d{4}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2})`
const DATE = `(?:${DATE_CN}|${DATE_SEP})`
const TIME_POINT = new RegExp(`^(?:${DATE}\\s*)?${TIME}$`)
const DATE_POINT = new RegExp(`^${DATE}(?:\\s*${TIME})?$`)
// "1个币种符号+10位以内纯数字，可带小数，结尾可带元": the 10 counts every digit, decimals included.
const AMOUNT = /^\p{Sc}?\d+(?:\.\d+)?元?$/u
const AMOUNT_MAX_DIGITS = 10
const NUMBER = /^\d+(?:\.\d+)?$/

/** The type of a keyword from its key: `character_string13` → `character_string`. */
export function ruleOfKey(key: string): string {
  const m = /^([a-z_]+?)(\d+)$/.exec(key)
  return m?.[1] ?? key
}

function chars(value: string): string[] {
  return Array.from(value)
}

function isSymbol(ch: string): boolean {
  return COMMON_SYMBOL.test(ch)
}

function digitCount(value: string): number {
  return chars(value).filter((c) => DIGIT.test(c)).length
}

function range(value: string, point: RegExp): boolean {
  const parts = value.split('~')
  if (parts.length > 2) return false
  return parts.every((p) => point.test(p.trim()))
}

function validDateNumbers(value: string): boolean {
  // Reject impossible months and days (13月, 32日, 2019-13-01) in any of the accepted shapes.
  for (const m of value.matchAll(/(\d{1,2})月(?:(\d{1,2})日)?/g)) {
    if (!inRange(m[1], 1, 12) || (m[2] !== undefined && !inRange(m[2], 1, 31))) return false
  }
  for (const m of value.matchAll(/\d{4}[-/.](\d{1,2})(?:[-/.](\d{1,2}))?/g)) {
    if (!inRange(m[1], 1, 12) || (m[2] !== undefined && !inRange(m[2], 1, 31))) return false
  }
  // A month-day without a year (01-01, 0.1): the point starts with it.
  for (const part of value.split('~')) {
    const m = /^(\d{1,2})[-/.](\d{1,2})(?!\d|[-/.])/.exec(part.trim())
    if (m !== null && (!inRange(m[1], 1, 12) || !inRange(m[2], 1, 31))) return false
  }
  return true
}

function inRange(s: string | undefined, lo: number, hi: number): boolean {
  const n = Number(s)
  return Number.isInteger(n) && n >= lo && n <= hi
}

/** Checks one value against its keyword type. `enumValues` applies to `enum` / `enum_string`. */
export function checkValue(rule: string, value: string, enumValues?: readonly string[]): RuleVerdict {
  if (value.trim() === '') return 'empty'
  if (CONTROL.test(value)) return 'invalid'
  const cs = chars(value)
  const n = cs.length
  switch (rule) {
    case 'thing':
      return n <= 20 ? 'ok' : 'invalid'
    case 'short_thing':
      return n <= 5 ? 'ok' : 'invalid'
    case 'number':
      return n <= 32 && NUMBER.test(value) ? 'ok' : 'invalid'
    case 'letter':
      return n <= 32 && cs.every((c) => ASCII_LETTER.test(c)) ? 'ok' : 'invalid'
    case 'symbol':
      return n <= 5 && cs.every(isSymbol) ? 'ok' : 'invalid'
    case 'character_string':
      return n <= 32 && cs.every((c) => ASCII_ALNUM.test(c) || isSymbol(c)) ? 'ok' : 'invalid'
    case 'time':
      return range(value, TIME_POINT) && validDateNumbers(value) ? 'ok' : 'invalid'
    case 'date':
      return range(value, DATE_POINT) && validDateNumbers(value) ? 'ok' : 'invalid'
    case 'amount':
      return AMOUNT.test(value) && digitCount(value) <= AMOUNT_MAX_DIGITS ? 'ok' : 'invalid'
    case 'phone_number':
      return n <= 17 && cs.every((c) => DIGIT.test(c) || isSymbol(c)) ? 'ok' : 'invalid'
    case 'car_number':
      // No minimum length is documented: a single letter passes.
      return n <= 8 && cs.every((c, i) => ASCII_ALNUM.test(c) || ((i === 0 || i === n - 1) && HAN.test(c)))
        ? 'ok'
        : 'invalid'
    case 'name': {
      if (cs.some((c) => DIGIT.test(c))) return 'invalid'
      const hasHan = cs.some((c) => HAN.test(c))
      const allowed = cs.every((c) => HAN.test(c) || ASCII_LETTER.test(c) || isSymbol(c))
      if (!allowed) return 'invalid'
      return n <= (hasHan ? 10 : 20) ? 'ok' : 'invalid'
    }
    case 'phrase':
      return n <= 5 && cs.every((c) => HAN.test(c)) ? 'ok' : 'invalid'
    case 'enum':
    case 'enum_string':
      if (enumValues && enumValues.length > 0) return enumValues.includes(value) ? 'ok' : 'invalid'
      return n <= 20 ? 'ok' : 'invalid'
    default:
      return n <= 20 ? 'ok' : 'invalid'
  }
}

export interface TemplateKeywordRule {
  key: string
  rule: string
  enumValues?: readonly string[]
}

/**
 * Checks a send's `data` against the template's keywords in template order and returns the
 * 47003 detail for the first bad field (`data.thing1.value is emtpy` — WeChat's own spelling —
 * or `data.thing1.value invalid`), or undefined when all are fine. Keys not in the template are
 * ignored. A value may be a string or a number.
 */
export function firstContentError(
  keywords: readonly TemplateKeywordRule[],
  data: unknown,
): string | undefined {
  const record =
    data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {}
  for (const kw of keywords) {
    const entry = record[kw.key]
    const raw =
      entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>).value : undefined
    if (raw === undefined || raw === null || raw === '') return `data.${kw.key}.value is emtpy`
    if (typeof raw !== 'string' && typeof raw !== 'number') return `data.${kw.key}.value invalid`
    const verdict = checkValue(kw.rule, String(raw), kw.enumValues)
    if (verdict === 'empty') return `data.${kw.key}.value is emtpy`
    if (verdict === 'invalid') return `data.${kw.key}.value invalid`
  }
  return undefined
}
