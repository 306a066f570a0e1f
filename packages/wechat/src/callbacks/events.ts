// Typed push events (docs/wechat.md §6.6–6.7). Payloads are irregular, so we read defensively: JSON puts
// the items under a top-level List (one object, or an array for several), older JSON under
// SubscribeMsgPopupEvent (an array), XML under SubscribeMsgPopupEvent.List; CreateTime is a string or a number;
// ids are 64-bit and stay strings.

interface EventBase {
  /** The mini program's original id (gh_…). */
  toUserName: string
  /** The user's openid (FromUserName). */
  openid: string
  /** Seconds since the epoch; 0 when absent or unreadable. */
  createTime: number
}

export type CallbackEvent =
  | (EventBase & {
      type: 'subscribe_msg_popup_event'
      items: { templateId: string; status: 'accept' | 'reject' | string; popupScene?: string }[]
    })
  | (EventBase & { type: 'subscribe_msg_change_event'; items: { templateId: string; status: string }[] })
  | (EventBase & {
      type: 'subscribe_msg_sent_event'
      items: { templateId: string; msgId: string; errorCode: number; errorStatus: string }[]
    })
  | (EventBase & { type: 'user_enter_tempsession'; sessionFrom?: string })
  | (EventBase & {
      type: 'user_message'
      msgType: 'text' | 'image' | 'miniprogrampage' | string
      msgId?: string
      content?: string
      picUrl?: string
      mediaId?: string
      title?: string
      appId?: string
      pagePath?: string
      thumbUrl?: string
      thumbMediaId?: string
    })
  | (EventBase & { type: 'unknown'; raw: Record<string, unknown> })

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'bigint') return String(v)
  return undefined
}

function integer(v: unknown): number | undefined {
  const s = text(v)?.trim()
  if (s === undefined || s === '') return undefined
  const n = Number(s)
  return Number.isFinite(n) ? n : undefined
}

function asList(v: unknown): Record<string, unknown>[] {
  if (Array.isArray(v)) return v.filter(isObject)
  return isObject(v) ? [v] : []
}

/** The items of a subscription event, wherever this payload variant put them. */
function listItems(raw: Record<string, unknown>, container: string): Record<string, unknown>[] {
  if (raw['List'] !== undefined) return asList(raw['List'])
  const nested = raw[container]
  if (Array.isArray(nested))
    return nested.filter(isObject).flatMap((n) => (n['List'] === undefined ? [n] : asList(n['List'])))
  if (isObject(nested)) return nested['List'] === undefined ? [nested] : asList(nested['List'])
  return []
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string }
}

/**
 * Turns a parsed push (JSON or XML) into a typed event; anything unrecognised becomes `type: 'unknown'`.
 *
 * @example
 * const event = toCallbackEvent(parseCallbackBody({ body, contentType }))
 * if (event.type === 'subscribe_msg_popup_event') for (const item of event.items) record(item.templateId, item.status)
 */
export function toCallbackEvent(raw: Record<string, unknown>): CallbackEvent {
  const base: EventBase = {
    toUserName: text(raw['ToUserName']) ?? '',
    openid: text(raw['FromUserName']) ?? '',
    createTime: integer(raw['CreateTime']) ?? 0,
  }
  const msgType = text(raw['MsgType']) ?? ''
  const event = text(raw['Event']) ?? ''
  if (msgType === 'event') {
    switch (event) {
      case 'subscribe_msg_popup_event':
        return {
          ...base,
          type: event,
          items: listItems(raw, 'SubscribeMsgPopupEvent').map((i) => ({
            templateId: text(i['TemplateId']) ?? '',
            status: text(i['SubscribeStatusString']) ?? '',
            ...optional('popupScene', text(i['PopupScene'])),
          })),
        }
      case 'subscribe_msg_change_event':
        return {
          ...base,
          type: event,
          items: listItems(raw, 'SubscribeMsgChangeEvent').map((i) => ({
            templateId: text(i['TemplateId']) ?? '',
            status: text(i['SubscribeStatusString']) ?? '',
          })),
        }
      case 'subscribe_msg_sent_event':
        return {
          ...base,
          type: event,
          items: listItems(raw, 'SubscribeMsgSentEvent').map((i) => ({
            templateId: text(i['TemplateId']) ?? '',
            msgId: text(i['MsgID'] ?? i['MsgId']) ?? '',
            errorCode: integer(i['ErrorCode']) ?? -1,
            errorStatus: text(i['ErrorStatus']) ?? '',
          })),
        }
      case 'user_enter_tempsession':
        return { ...base, type: event, ...optional('sessionFrom', text(raw['SessionFrom'])) }
      default:
        return { ...base, type: 'unknown', raw }
    }
  }
  if (msgType === '') return { ...base, type: 'unknown', raw }
  return {
    ...base,
    type: 'user_message',
    msgType,
    ...optional('msgId', text(raw['MsgId'] ?? raw['MsgID'])),
    ...optional('content', text(raw['Content'])),
    ...optional('picUrl', text(raw['PicUrl'])),
    ...optional('mediaId', text(raw['MediaId'])),
    ...optional('title', text(raw['Title'])),
    ...optional('appId', text(raw['AppId'])),
    ...optional('pagePath', text(raw['PagePath'])),
    ...optional('thumbUrl', text(raw['ThumbUrl'])),
    ...optional('thumbMediaId', text(raw['ThumbMediaId'])),
  }
}
