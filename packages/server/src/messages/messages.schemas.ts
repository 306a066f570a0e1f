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
