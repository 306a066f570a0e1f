import { Type, type Static } from 'typebox'
import { MESSAGE_STATUSES } from './messages.status.ts'

const KeywordValue = Type.Union([
  Type.String(),
  Type.Number(),
  Type.Object({ value: Type.Union([Type.String(), Type.Number()]) }),
])

export const SendMessageBody = Type.Object(
  {
    to: Type.Union([
      Type.Object({ openid: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false }),
      Type.Object({ userId: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
    ]),
    template: Type.String({ minLength: 1, maxLength: 128, description: 'alias or WeChat template id' }),
    data: Type.Record(Type.String(), KeywordValue),
    page: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
    miniprogramState: Type.Optional(
      Type.Union([Type.Literal('developer'), Type.Literal('trial'), Type.Literal('formal')]),
    ),
    lang: Type.Optional(
      Type.Union([
        Type.Literal('zh_CN'),
        Type.Literal('en_US'),
        Type.Literal('zh_HK'),
        Type.Literal('zh_TW'),
      ]),
    ),
    idempotencyKey: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    sendAt: Type.Optional(Type.String({ format: 'date-time' })),
    fit: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type SendMessageBody = Static<typeof SendMessageBody>

export const MessageIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })

export const ListMessagesQuery = Type.Object({
  status: Type.Optional(Type.Union(MESSAGE_STATUSES.map((s) => Type.Literal(s)))),
  userId: Type.Optional(Type.String()),
  template: Type.Optional(Type.String()),
  campaign: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'a campaign id' })),
  cursor: Type.Optional(Type.String()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
})

// Items are checked one by one (a bad item is refused on its own), hence Unknown here.
export const BatchBody = Type.Object(
  { messages: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 1_000 }) },
  { additionalProperties: false },
)
export type BatchBody = Static<typeof BatchBody>

// Answers. Only the fields listed here can reach a client: fast-json-stringify drops the rest.
const Status = Type.Union(MESSAGE_STATUSES.map((s) => Type.Literal(s)))
const Time = Type.String({ format: 'date-time' })

const FitChangeView = Type.Object({
  key: Type.String(),
  from: Type.String(),
  to: Type.String(),
  why: Type.String({ description: '改动原因 / why the value was changed' }),
})

export const EnqueuedView = Type.Object({
  id: Type.String(),
  status: Status,
  duplicate: Type.Boolean({
    description: '同一 idempotencyKey 的已有消息 / the message already accepted under this idempotencyKey',
  }),
  changes: Type.Optional(
    Type.Array(FitChangeView, { description: 'fit: true 时对内容的改动 / what fit: true changed' }),
  ),
})

export const MessageView = Type.Object({
  id: Type.String(),
  status: Status,
  to: Type.Object({ userId: Type.Union([Type.String(), Type.Null()]), openid: Type.String() }),
  template: Type.String({ description: 'WeChat template id' }),
  data: Type.Record(Type.String(), Type.String()),
  page: Type.Optional(Type.String()),
  attempts: Type.Integer(),
  createdAt: Time,
  runAt: Time,
  sentAt: Type.Optional(Time),
  deliveredAt: Type.Optional(Time),
  errcode: Type.Optional(Type.Integer({ description: '微信的 errcode / WeChat’s errcode' })),
  reason: Type.Optional(Type.String({ description: '失败或取消的原因 / why it failed or was cancelled' })),
  wechatMsgid: Type.Optional(Type.String()),
  campaign: Type.Optional(Type.String()),
})

export const MessageWithHistoryView = Type.Object({
  ...MessageView.properties,
  history: Type.Array(
    Type.Object({
      status: Status,
      at: Time,
      reason: Type.Optional(Type.String()),
      errcode: Type.Optional(Type.Integer()),
      detail: Type.Optional(Type.String()),
    }),
  ),
})

export const MessageListView = Type.Object({
  items: Type.Array(MessageView),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
})

export const CancelledView = Type.Object({ id: Type.String(), status: Type.Literal('cancelled') })

const ItemError = Type.Object({
  code: Type.String(),
  message: Type.String(),
  details: Type.Object({}, { additionalProperties: true }),
})

export const BatchView = Type.Object({
  results: Type.Array(
    Type.Object({
      index: Type.Integer({ minimum: 0 }),
      id: Type.Optional(Type.String()),
      status: Type.Optional(Status),
      duplicate: Type.Optional(Type.Literal(true)),
      error: Type.Optional(ItemError),
    }),
    { description: '与请求同序 / in the order of the request' },
  ),
})
