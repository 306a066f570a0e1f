// The events of docs/wechat.md §6.6–§6.7, built from the simulator's state. Field order and
// types follow the official samples: in JSON, TemplateId/SubscribeStatusString/PopupScene/MsgID/
// ErrorCode are strings; CreateTime and a text message's MsgId are integers.
import type { App, User } from '../world.ts'
import type { CallbackEvent } from './callback-events.ts'

function base(app: App, user: User, nowMs: number, msgType: string, event?: string): CallbackEvent {
  return {
    toUserName: app.originalId,
    fromUserName: user.openid,
    createTime: Math.floor(nowMs / 1000),
    msgType,
    event,
  }
}

export function popupEvent(
  app: App,
  user: User,
  nowMs: number,
  items: { templateId: string; status: 'accept' | 'reject' }[],
): CallbackEvent {
  return {
    ...base(app, user, nowMs, 'event', 'subscribe_msg_popup_event'),
    list: {
      wrapper: 'SubscribeMsgPopupEvent',
      alwaysObject: false,
      items: items.map((i) => [
        ['TemplateId', i.templateId],
        ['SubscribeStatusString', i.status],
        ['PopupScene', { digits: '0' }],
      ]),
    },
  }
}

export function changeEvent(app: App, user: User, nowMs: number, templateIds: string[]): CallbackEvent {
  return {
    ...base(app, user, nowMs, 'event', 'subscribe_msg_change_event'),
    list: {
      wrapper: 'SubscribeMsgChangeEvent',
      alwaysObject: false,
      items: templateIds.map((id) => [
        ['TemplateId', id],
        ['SubscribeStatusString', 'reject'],
      ]),
    },
  }
}

export function sentEvent(
  app: App,
  user: User,
  nowMs: number,
  sent: { templateId: string; msgid: string; errorCode: number; errorStatus: string },
): CallbackEvent {
  return {
    ...base(app, user, nowMs, 'event', 'subscribe_msg_sent_event'),
    list: {
      wrapper: 'SubscribeMsgSentEvent',
      alwaysObject: true,
      items: [
        [
          ['TemplateId', sent.templateId],
          ['MsgID', { digits: sent.msgid }],
          ['ErrorCode', { digits: String(sent.errorCode) }],
          ['ErrorStatus', sent.errorStatus],
        ],
      ],
    },
  }
}

export function textMessageEvent(
  app: App,
  user: User,
  nowMs: number,
  content: string,
  msgid: string,
): CallbackEvent {
  return {
    ...base(app, user, nowMs, 'text'),
    extra: [
      ['Content', content],
      ['MsgId', { int: msgid }],
    ],
  }
}

export function enterSessionEvent(app: App, user: User, nowMs: number, sessionFrom: string): CallbackEvent {
  return {
    ...base(app, user, nowMs, 'event', 'user_enter_tempsession'),
    extra: [['SessionFrom', sessionFrom]],
  }
}

export function imageMessageEvent(
  app: App,
  user: User,
  nowMs: number,
  picUrl: string,
  mediaId: string,
  msgid: string,
): CallbackEvent {
  return {
    ...base(app, user, nowMs, 'image'),
    extra: [
      ['PicUrl', picUrl],
      ['MediaId', mediaId],
      ['MsgId', { int: msgid }],
    ],
  }
}
