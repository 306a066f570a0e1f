// Content violations with zh and en texts that say what is wrong and what the type allows.

export type ViolationRule =
  | 'missing'
  | 'unknown_key'
  | 'not_string'
  | 'empty'
  | 'control_char'
  | 'max_length'
  | 'charset'
  | 'format'
  | 'enum'

export interface ContentViolation {
  key: string
  type: string
  rule: ViolationRule
  limit?: number
  value: unknown
  zh: string
  en: string
}

const TYPE_TEXT: Record<string, { zh: string; en: string; allows: [string, string] }> = {
  thing: { zh: '事物', en: 'thing', allows: ['任意字符（20 个以内）', 'any characters (up to 20)'] },
  short_thing: {
    zh: '短事物',
    en: 'short thing',
    allows: ['任意字符（5 个以内）', 'any characters (up to 5)'],
  },
  number: {
    zh: '数字',
    en: 'number',
    allows: ['数字，可带小数点，如 12.5', 'digits, a decimal point allowed, e.g. 12.5'],
  },
  letter: { zh: '字母', en: 'letter', allows: ['英文字母，如 ABC', 'letters A–Z, e.g. ABC'] },
  symbol: {
    zh: '符号',
    en: 'symbol',
    allows: ['符号（非中文、字母、数字），如 %#', 'symbols (no Chinese, letters or digits), e.g. %#'],
  },
  character_string: {
    zh: '字符串',
    en: 'character string',
    allows: ['数字、字母、符号，如 SN-2019-01', 'digits, letters and symbols, e.g. SN-2019-01'],
  },
  time: {
    zh: '时间',
    en: 'time',
    allows: [
      '24 小时制时间，可带日期，如 15:01 或 2019年10月1日 15:01',
      'a 24-hour time, a date may precede it: 15:01, 2019年10月1日 15:01',
    ],
  },
  date: {
    zh: '日期',
    en: 'date',
    allows: [
      '日期，可带时间，如 2019年10月1日 或 2019-10-01 15:01',
      'a date, a time may follow: 2019年10月1日, 2019-10-01 15:01',
    ],
  },
  amount: {
    zh: '金额',
    en: 'amount',
    allows: [
      '币种符号 + 10 位以内数字，可带小数，可以“元”结尾，如 ¥100.00、10元',
      'a currency symbol + up to 10 digits, decimals allowed, may end with 元: ¥100.00, 10元',
    ],
  },
  phone_number: {
    zh: '电话',
    en: 'phone number',
    allows: ['数字和符号，如 +86-0766-66888866', 'digits and symbols, e.g. +86-0766-66888866'],
  },
  car_number: {
    zh: '车牌',
    en: 'car number',
    allows: [
      '首尾可为汉字，其余为字母或数字，如 粤A8Z888挂',
      'Chinese allowed first and last only, letters or digits between: 粤A8Z888挂',
    ],
  },
  name: {
    zh: '姓名',
    en: 'name',
    allows: [
      '10 个以内汉字，或 20 个以内字母、符号',
      'up to 10 Chinese characters, or up to 20 letters and symbols',
    ],
  },
  phrase: {
    zh: '汉字',
    en: 'phrase',
    allows: ['5 个以内纯汉字，如 配送中', 'up to 5 Chinese characters only, e.g. 配送中'],
  },
  enum: { zh: '枚举值', en: 'enum', allows: ['模板的枚举值之一', 'one of the template enum values'] },
  enum_string: { zh: '枚举值', en: 'enum', allows: ['模板的枚举值之一', 'one of the template enum values'] },
}

/** What a keyword type is and what it allows, in zh and en (the console shows it beside each input). */
export function typeText(type: string): { zh: string; en: string; allows: [string, string] } {
  return (
    TYPE_TEXT[type] ?? {
      zh: type,
      en: type,
      allows: ['非空、无控制字符、20 个以内字符', 'non-empty, no control characters, up to 20 characters'],
    }
  )
}

function texts(p: {
  key: string
  type: string
  rule: ViolationRule
  limit?: number
  value: unknown
  enumValues?: string[]
}): {
  zh: string
  en: string
} {
  const t = typeText(p.type)
  const label = { zh: `${p.key}（${t.zh}）`, en: `${p.key} (${t.en})` }
  switch (p.rule) {
    case 'missing':
      return {
        zh: `缺少 ${p.key}：模板的每个关键词都必须有值`,
        en: `${p.key} is missing: every keyword of the template needs a value`,
      }
    case 'unknown_key':
      return p.key.endsWith('.DATA')
        ? {
            zh: `${p.key} 应写作 ${p.key.slice(0, -5)}（不带 .DATA）`,
            en: `Write ${p.key} as ${p.key.slice(0, -5)} (without .DATA)`,
          }
        : { zh: `模板中没有关键词 ${p.key}`, en: `The template has no keyword ${p.key}` }
    case 'not_string':
      return { zh: `${label.zh} 的值必须是字符串`, en: `${label.en} must be a string` }
    case 'empty':
      return { zh: `${label.zh} 不能为空`, en: `${label.en} must not be empty` }
    case 'control_char':
      return {
        zh: `${label.zh} 不能包含换行等控制字符`,
        en: `${label.en} must not contain newlines or other control characters`,
      }
    case 'max_length':
      return {
        zh: `${label.zh} 超出长度限制：最多 ${p.limit ?? '?'} 个字符`,
        en: `${label.en} is too long: at most ${p.limit ?? '?'} characters`,
      }
    case 'charset':
      return {
        zh: `${label.zh} 含有不允许的字符，只能是${t.allows[0]}`,
        en: `${label.en} holds characters it does not allow: ${t.allows[1]}`,
      }
    case 'format':
      return {
        zh: `${label.zh} 格式不正确，应为${t.allows[0]}`,
        en: `${label.en} has the wrong format: ${t.allows[1]}`,
      }
    case 'enum': {
      const values = (p.enumValues ?? []).join('、')
      return { zh: `${label.zh} 必须是以下值之一：${values}`, en: `${label.en} must be one of: ${values}` }
    }
  }
}

export function violation(p: {
  key: string
  type: string
  rule: ViolationRule
  limit?: number
  value: unknown
  enumValues?: string[]
}): ContentViolation {
  const base = { key: p.key, type: p.type, rule: p.rule, value: p.value, ...texts(p) }
  return p.limit === undefined ? base : { ...base, limit: p.limit }
}
