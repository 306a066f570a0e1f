// Template keywords: '{{thing1.DATA}}' placeholders in a template's content. The type is the key's letters
// and underscores, the number after it is arbitrary (thing1, character_string13, number01).

export interface KeywordSpec {
  /** The data key, e.g. 'thing1'. */
  key: string
  /** The keyword type, e.g. 'thing'. */
  type: string
  /** The label before the placeholder in the template content, e.g. '商品名称'. */
  name?: string
  /** Allowed values for enum keywords (from gettemplate's keywordEnumValueList). */
  enumValues?: string[]
}

/**
 * The keyword type of a data key: the key without its trailing number (and without a '.DATA' suffix).
 *
 * @example
 * keywordTypeOf('character_string13') // → 'character_string'
 * keywordTypeOf('thing1') // → 'thing'
 */
export function keywordTypeOf(key: string): string {
  return key.replace(/\.DATA$/, '').replace(/\d+$/, '')
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_]+\d*)\.DATA\s*\}\}/g

/**
 * Reads the keywords of a template content (gettemplate's `content`), in order, each once.
 *
 * @example
 * parseTemplateContent('商品名称:{{thing1.DATA}}\n金额:{{amount3.DATA}}')
 * // → [{ key: 'thing1', type: 'thing', name: '商品名称' }, { key: 'amount3', type: 'amount', name: '金额' }]
 */
export function parseTemplateContent(content: string): KeywordSpec[] {
  const specs: KeywordSpec[] = []
  const seen = new Set<string>()
  for (const line of content.split(/\r?\n/)) {
    let labelStart = 0
    for (const match of line.matchAll(PLACEHOLDER)) {
      const key = match[1] ?? ''
      // The label is the text between the previous placeholder (or the line start) and this one, minus ':'.
      const name = line
        .slice(labelStart, match.index)
        .replace(/[:：]\s*$/, '')
        .trim()
      labelStart = match.index + match[0].length
      if (seen.has(key)) continue
      seen.add(key)
      specs.push(name === '' ? { key, type: keywordTypeOf(key) } : { key, type: keywordTypeOf(key), name })
    }
  }
  return specs
}

/**
 * Adds enum values from gettemplate's keywordEnumValueList (whose keywordCode may carry '.DATA').
 *
 * @example
 * withEnumValues(parseTemplateContent(t.content), t.keywordEnumValueList)
 */
export function withEnumValues(
  keywords: KeywordSpec[],
  enumList: { keywordCode: string; enumValueList: string[] }[] | undefined,
): KeywordSpec[] {
  if (enumList === undefined || enumList.length === 0) return keywords
  const byKey = new Map(enumList.map((e) => [e.keywordCode.replace(/\.DATA$/, ''), e.enumValueList]))
  return keywords.map((k) => {
    const values = byKey.get(k.key)
    return values === undefined ? k : { ...k, enumValues: [...values] }
  })
}
