// Safe fixes only: a fitted value says the same thing in a shape WeChat accepts. We shorten free text, turn
// dates into the documented forms and trim whitespace; we never drop or replace characters a type forbids
// (a letter in a number stays a violation), because that would change what the user reads.

import type { KeywordSpec } from './keyword-spec.ts'
import { MAX_LENGTH, UNKNOWN_TYPE_MAX_LENGTH, charCount } from './type-rules.ts'
import { checkString, readValue, unknownKeys } from './validate.ts'
import { violation, type ContentViolation } from './violations.ts'
import {
  formatChineseDate,
  formatChineseDateTime,
  parseIsoDateTime,
  shanghaiWallTime,
  type WallTime,
} from './date-time.ts'

export interface FitChange {
  key: string
  from: string
  to: string
  /** e.g. 'truncated to 20 characters with …' */
  why: string
}

export type FitResult =
  { ok: true; value: string; change?: FitChange } | { ok: false; violation: ContentViolation }

const ELLIPSIS = '…'
const LINE_BREAKS = /[\r\n\v\f\u2028\u2029\t]+/g
const HAS_LINE_BREAK = /[\r\n\v\f\u2028\u2029\t]/
const FREE_TEXT = new Set(['thing', 'short_thing'])

function truncate(text: string, limit: number): string {
  const chars = [...text]
  if (chars.length <= limit) return text
  return (
    chars
      .slice(0, limit - 1)
      .join('')
      .trimEnd() + ELLIPSIS
  )
}

function wallFromInput(value: unknown): { wall: WallTime; from: string } | undefined {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime())
      ? undefined
      : { wall: shanghaiWallTime(value), from: value.toISOString() }
  }
  if (typeof value === 'string') {
    const wall = parseIsoDateTime(value.trim())
    return wall === undefined ? undefined : { wall, from: value }
  }
  return undefined
}

function fitDateOrTime(spec: KeywordSpec, raw: unknown): FitResult | undefined {
  const inner =
    typeof raw === 'object' && raw !== null && !(raw instanceof Date)
      ? (raw as { value?: unknown }).value
      : raw
  const parsed = wallFromInput(inner)
  if (parsed === undefined) return undefined
  const { wall, from } = parsed
  const midnight = wall.hour === 0 && wall.minute === 0
  const to = spec.type === 'date' && midnight ? formatChineseDate(wall) : formatChineseDateTime(wall)
  // Years outside 1000–9999 have no documented form; let the caller see the violation instead.
  if (checkString(spec, to, raw) !== null) return undefined
  return {
    ok: true,
    value: to,
    change: { key: spec.key, from, to, why: 'formatted as a date and time in Asia/Shanghai (UTC+8)' },
  }
}

/**
 * Fits a value to its keyword's rule where a safe fix exists, or reports the violation.
 *
 * @example
 * fitKeywordValue({ key: 'thing1', type: 'thing' }, '一二三四五六七八九十一二三四五六七八九十一')
 * // → { ok: true, value: '一二三四五六七八九十一二三四五六七八九…', change: { why: 'truncated to 20 characters with …', … } }
 * fitKeywordValue({ key: 'time2', type: 'time' }, new Date('2019-10-01T07:01:00Z')).value // → '2019年10月1日 15:01'
 */
export function fitKeywordValue(spec: KeywordSpec, value: unknown): FitResult {
  if (spec.type === 'time' || spec.type === 'date') {
    const fitted = fitDateOrTime(spec, value)
    if (fitted !== undefined) return fitted
  }
  const original = readValue(spec, value)
  if (original === undefined)
    return { ok: false, violation: violation({ key: spec.key, type: spec.type, rule: 'not_string', value }) }
  const whys: string[] = []
  let text = original
  if (FREE_TEXT.has(spec.type) && HAS_LINE_BREAK.test(text)) {
    text = text.replace(LINE_BREAKS, ' ')
    whys.push('replaced line breaks with a space')
  }
  const trimmed = text.trim()
  if (trimmed !== text) {
    text = trimmed
    whys.push('trimmed surrounding whitespace')
  }
  if (FREE_TEXT.has(spec.type)) {
    const limit = MAX_LENGTH[spec.type] ?? UNKNOWN_TYPE_MAX_LENGTH
    if (charCount(text) > limit) {
      text = truncate(text, limit)
      whys.push(`truncated to ${limit} characters with ${ELLIPSIS}`)
    }
  }
  const broken = checkString(spec, text, value)
  if (broken !== null) return { ok: false, violation: broken }
  if (whys.length === 0 && text === original) return { ok: true, value: text }
  return { ok: true, value: text, change: { key: spec.key, from: original, to: text, why: whys.join('; ') } }
}

/**
 * Fits every value of a send; answers the fitted values and what changed, or every violation left.
 *
 * @example
 * fitTemplateData([{ key: 'thing1', type: 'thing' }], { thing1: '  合同A\n第二行 ' })
 * // → { ok: true, values: { thing1: '合同A 第二行' }, changes: [{ key: 'thing1', … }] }
 */
export function fitTemplateData(
  keywords: KeywordSpec[],
  data: Record<string, unknown>,
):
  | { ok: true; values: Record<string, string>; changes: FitChange[] }
  | { ok: false; violations: ContentViolation[] } {
  const input: Record<string, unknown> = typeof data === 'object' && data !== null ? data : {}
  const values: Record<string, string> = {}
  const changes: FitChange[] = []
  const violations: ContentViolation[] = []
  for (const spec of keywords) {
    const value = input[spec.key]
    if (!Object.hasOwn(input, spec.key) || value === undefined) {
      violations.push(violation({ key: spec.key, type: spec.type, rule: 'missing', value: undefined }))
      continue
    }
    const fitted = fitKeywordValue(spec, value)
    if (!fitted.ok) {
      violations.push(fitted.violation)
      continue
    }
    values[spec.key] = fitted.value
    if (fitted.change !== undefined) changes.push(fitted.change)
  }
  violations.push(...unknownKeys(keywords, input))
  return violations.length === 0 ? { ok: true, values, changes } : { ok: false, violations }
}
