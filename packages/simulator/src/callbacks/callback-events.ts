// The events WeChat pushes to a mini program's message URL (docs/wechat.md §6.6, §6.7) and
// their JSON and XML bodies. JSON: `List` at the top level, one object or an array (popup/change),
// always one object (sent). XML: items nested under `SubscribeMsgPopupEvent` etc. Strings are
// CDATA in XML; integers are bare in both (64-bit ones are written as text, never via a JS number).

/** A field value: a string (CDATA in XML); an integer written bare in both formats (a decimal
 * string so 64 bits survive); or `digits`: a string in JSON but bare in XML, as the official samples
 * write MsgID, ErrorCode and PopupScene. */
export type FieldValue = string | { int: string } | { digits: string }
export type Fields = [string, FieldValue][]

export interface CallbackEvent {
  toUserName: string
  fromUserName: string
  createTime: number
  msgType: string
  event?: string
  /** Top-level fields after Event (Content, MsgId, SessionFrom…). */
  extra?: Fields
  /** Subscription events: the XML wrapper element, the items, and whether JSON keeps one object. */
  list?: { wrapper: string; items: Fields[]; alwaysObject: boolean }
}

function head(e: CallbackEvent): Fields {
  const fields: Fields = [
    ['ToUserName', e.toUserName],
    ['FromUserName', e.fromUserName],
    ['CreateTime', { int: String(e.createTime) }],
    ['MsgType', e.msgType],
  ]
  if (e.event !== undefined) fields.push(['Event', e.event])
  if (e.extra) fields.push(...e.extra)
  return fields
}

function jsonValue(v: FieldValue): string {
  if (typeof v === 'string') return JSON.stringify(v)
  return 'int' in v ? v.int : JSON.stringify(v.digits)
}

function xmlValue(v: FieldValue): string {
  if (typeof v === 'string') return cdata(v)
  return 'int' in v ? v.int : v.digits
}

function jsonObject(fields: Fields): string {
  return `{${fields.map(([k, v]) => `${JSON.stringify(k)}:${jsonValue(v)}`).join(',')}}`
}

/** The plaintext JSON body, as text. */
export function toJson(e: CallbackEvent, extraFields: Fields = []): string {
  const parts = head(e).map(([k, v]) => `${JSON.stringify(k)}:${jsonValue(v)}`)
  if (e.list) {
    const items = e.list.items.map(jsonObject)
    const list = e.list.alwaysObject || items.length === 1 ? (items[0] ?? '{}') : `[${items.join(',')}]`
    parts.push(`"List":${list}`)
  }
  for (const [k, v] of extraFields) parts.push(`${JSON.stringify(k)}:${jsonValue(v)}`)
  return `{${parts.join(',')}}`
}

function cdata(s: string): string {
  return `<![CDATA[${s.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`
}

function xmlFields(fields: Fields): string {
  return fields.map(([k, v]) => `<${k}>${xmlValue(v)}</${k}>`).join('')
}

/** The plaintext XML body. */
export function toXml(e: CallbackEvent, extraFields: Fields = []): string {
  let body = xmlFields(head(e))
  if (e.list) {
    body += `<${e.list.wrapper}>${e.list.items.map((it) => `<List>${xmlFields(it)}</List>`).join('')}</${e.list.wrapper}>`
  }
  return `<xml>${body}${xmlFields(extraFields)}</xml>`
}
