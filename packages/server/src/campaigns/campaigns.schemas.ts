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

// Answers. Only the fields listed here can reach a client.
const CampaignStatus = Type.Union(CAMPAIGN_STATUSES.map((s) => Type.Literal(s)))
const Time = Type.String({ format: 'date-time' })
const Tally = Type.Record(Type.String(), Type.Integer())

export const CreatedCampaignView = Type.Object({ id: Type.String(), status: CampaignStatus })

export const CampaignView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  template: Type.String({ description: 'WeChat template id' }),
  status: CampaignStatus,
  audience: Type.Object({
    kind: Type.Union(['consented', 'tag', 'userIds', 'openids', 'upload'].map((k) => Type.Literal(k))),
    tag: Type.Optional(Type.String()),
  }),
  counts: Type.Object(
    {
      recipients: Type.Integer(),
      pending: Type.Integer(),
      queued: Type.Integer(),
      sent: Type.Integer(),
      delivered: Type.Integer(),
      failed: Type.Integer(),
      skipped: Type.Integer(),
    },
    { description: '每个收件人恰在其中一项 / every recipient is in exactly one of these' },
  ),
  skippedBy: Tally,
  failedBy: Tally,
  ratePerSecond: Type.Optional(Type.Number()),
  createdAt: Time,
  sendAt: Type.Optional(Time),
  startedAt: Type.Optional(Time),
  completedAt: Type.Optional(Time),
})

export const CampaignListView = Type.Object({
  items: Type.Array(CampaignView),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
})

export const UploadView = Type.Object({
  accepted: Type.Integer(),
  rejected: Type.Array(
    Type.Object({
      line: Type.Integer(),
      error: Type.Object({
        code: Type.String(),
        message: Type.String(),
        details: Type.Object({}, { additionalProperties: true }),
      }),
    }),
    { description: '前若干条被拒的行 / the first refused lines' },
  ),
  rejectedCount: Type.Integer(),
})
