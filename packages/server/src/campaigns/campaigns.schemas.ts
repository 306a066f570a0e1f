import { Type, type Static } from 'typebox'

/** Inline audiences: up to 100 000 ids; more goes through an upload. */
export const INLINE_AUDIENCE_MAX = 100_000
/** Recipient lines per campaign, over all its uploads. */
export const UPLOAD_LINES_MAX = 1_000_000

const Ids = (max: number) =>
  Type.Array(Type.String({ minLength: 1, maxLength: max }), { minItems: 1, maxItems: INLINE_AUDIENCE_MAX })

export const Audience = Type.Union([
  Type.Object({ consented: Type.Literal(true) }, { additionalProperties: false }),
  Type.Object({ tag: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
  Type.Object({ userIds: Ids(64) }, { additionalProperties: false }),
  Type.Object({ openids: Ids(128) }, { additionalProperties: false }),
  Type.Object({ upload: Type.Literal(true) }, { additionalProperties: false }),
])
export type Audience = Static<typeof Audience>

const KeywordValue = Type.Union([
  Type.String(),
  Type.Number(),
  Type.Object({ value: Type.Union([Type.String(), Type.Number()]) }),
])

export const CreateCampaignBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    template: Type.String({ minLength: 1, maxLength: 128, description: 'alias or WeChat template id' }),
    data: Type.Record(Type.String(), KeywordValue),
    audience: Audience,
    sendAt: Type.Optional(Type.String({ format: 'date-time' })),
    ratePerSecond: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100_000 })),
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
    fit: Type.Optional(Type.Boolean()),
    idempotencyKey: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
)
export type CreateCampaignBody = Static<typeof CreateCampaignBody>

export const CampaignIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })

export const CAMPAIGN_STATUSES = [
  'draft',
  'scheduled',
  'running',
  'paused',
  'completed',
  'cancelled',
] as const

export const ListCampaignsQuery = Type.Object({
  status: Type.Optional(Type.Union(CAMPAIGN_STATUSES.map((s) => Type.Literal(s)))),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
})
