// Validating template data before a send: WeChat's 47003 names only the first bad field, we name them all.

import { keywordTypeOf, type KeywordSpec } from './keyword-spec.ts'
import { CONTROL_CHAR, checkTypeRule } from './type-rules.ts'
import { violation, type ContentViolation } from './violations.ts'

/** Reads a data value: a string, { value: string }, or a finite number for number and amount keywords. */
export function readValue(spec: KeywordSpec, value: unknown): string | undefined {
  const inner =
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
      ? (value as { value?: unknown }).value
      : value
  if (typeof inner === 'string') return inner
  if (
    typeof inner === 'number' &&
    Number.isFinite(inner) &&
    (spec.type === 'number' || spec.type === 'amount')
  ) {
    return String(inner)
  }
  return undefined
}

/** Checks an already-read string; shared by validate and fit. */
export function checkString(spec: KeywordSpec, text: string, original: unknown): ContentViolation | null {
  const base = { key: spec.key, type: spec.type, value: original }
  if (text.trim() === '') return violation({ ...base, rule: 'empty' })
  if (CONTROL_CHAR.test(text)) return violation({ ...base, rule: 'control_char' })
  const broken = checkTypeRule(spec, text)
  if (broken === null) return null
  return violation({
    ...base,
    rule: broken.rule,
    ...(broken.limit === undefined ? {} : { limit: broken.limit }),
    ...(spec.enumValues === undefined ? {} : { enumValues: spec.enumValues }),
  })
}

/**
 * Validates one keyword value against its type's rule. Never throws.
 *
 * @example
 * validateKeywordValue({ key: 'thing1', type: 'thing' }, '合同A') // → null
 * validateKeywordValue({ key: 'number2', type: 'number' }, '12a')?.rule // → 'charset'
 */
export function validateKeywordValue(spec: KeywordSpec, value: unknown): ContentViolation | null {
  const text = readValue(spec, value)
  if (text === undefined) return violation({ key: spec.key, type: spec.type, rule: 'not_string', value })
  return checkString(spec, text, value)
}

/** Data keys that are in no keyword: each is reported (including 'thing1.DATA', which WeChat ignores). */
export function unknownKeys(keywords: KeywordSpec[], data: Record<string, unknown>): ContentViolation[] {
  const known = new Set(keywords.map((k) => k.key))
  return Object.keys(data)
    .filter((key) => !known.has(key))
    .map((key) => violation({ key, type: keywordTypeOf(key), rule: 'unknown_key', value: data[key] }))
}

/**
 * Validates the data of a send against the template's keywords and reports every bad field.
 *
 * @example
 * const keywords = parseTemplateContent('商品名称:{{thing1.DATA}}\n金额:{{amount3.DATA}}')
 * validateTemplateData(keywords, { thing1: '合同A', amount3: { value: '¥100.00' } })
 * // → { ok: true, values: { thing1: '合同A', amount3: '¥100.00' } }
 */
export function validateTemplateData(
  keywords: KeywordSpec[],
  data: Record<string, unknown>,
): { ok: true; values: Record<string, string> } | { ok: false; violations: ContentViolation[] } {
  const violations: ContentViolation[] = []
  const values: Record<string, string> = {}
  const input: Record<string, unknown> = typeof data === 'object' && data !== null ? data : {}
  for (const spec of keywords) {
    if (!Object.hasOwn(input, spec.key) || input[spec.key] === undefined) {
      violations.push(violation({ key: spec.key, type: spec.type, rule: 'missing', value: undefined }))
      continue
    }
    const value = input[spec.key]
    const broken = validateKeywordValue(spec, value)
    if (broken !== null) violations.push(broken)
    else values[spec.key] = readValue(spec, value) ?? ''
  }
  violations.push(...unknownKeys(keywords, input))
  return violations.length === 0 ? { ok: true, values } : { ok: false, violations }
}
