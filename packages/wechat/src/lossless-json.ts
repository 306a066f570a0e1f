// WeChat sends 64-bit ids (`msgid`, `MsgId`) as bare JSON numbers that exceed 2^53, so JSON.parse would
// silently round them (1988810812324364291 → 1988810812324364300). We quote every integer literal outside a
// string that a double cannot hold exactly, before JSON.parse ever sees it.

const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y
const SAFE_DIGITS = String(Number.MAX_SAFE_INTEGER).length // 16

function isUnsafeInteger(literal: string): boolean {
  const digits = literal.startsWith('-') ? literal.slice(1) : literal
  if (digits.length < SAFE_DIGITS) return false
  if (digits.length > SAFE_DIGITS) return true
  return BigInt(digits) > BigInt(Number.MAX_SAFE_INTEGER)
}

/** Quotes unsafe integer literals (outside strings) so JSON.parse keeps them exactly, as strings. */
export function quoteUnsafeIntegers(text: string): string {
  let out = ''
  let last = 0
  let i = 0
  while (i < text.length) {
    const ch = text[i]
    if (ch === '"') {
      // Skip the whole string literal, honouring backslash escapes.
      i++
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1
      i++
      continue
    }
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) {
      NUMBER.lastIndex = i
      const literal = NUMBER.exec(text)?.[0] ?? ch
      if (/^-?\d+$/.test(literal) && isUnsafeInteger(literal)) {
        out += text.slice(last, i) + '"' + literal + '"'
        last = i + literal.length
      }
      i += literal.length
      continue
    }
    i++
  }
  return last === 0 ? text : out + text.slice(last)
}

/**
 * JSON.parse that keeps every integer beyond Number.MAX_SAFE_INTEGER as its exact decimal string.
 *
 * @example
 * parseJsonLossless('{"msgid":1988810812324364291}') // → { msgid: '1988810812324364291' }
 */
export function parseJsonLossless(text: string): unknown {
  return JSON.parse(quoteUnsafeIntegers(text)) as unknown
}
