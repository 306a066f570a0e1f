// Request and response schemas of the admin API. Response schemas double as a guard: a field that
// is not listed here (a sealed secret, a key hash) can never reach a response body.
import { Type, type Static } from 'typebox'

const AppId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'the WeChat appid' })
// WeChat's AppSecret is 32 hex characters; any printable string is accepted (the simulator's demo app).
const AppSecret = Type.String({ pattern: '^[\\x21-\\x7e]{1,128}$', description: 'the WeChat AppSecret' })
const TokenMode = Type.Union([Type.Literal('stable'), Type.Literal('classic')])
const Scope = Type.Union([Type.Literal('app'), Type.Literal('admin')])
const Time = Type.String({ description: 'ISO 8601' })
const NullableTime = Type.Union([Time, Type.Null()])

export const CreateAppBody = Type.Object(
  {
    appId: AppId,
    secret: AppSecret,
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    tokenMode: Type.Optional(TokenMode),
  },
  { additionalProperties: false },
)
export type CreateAppBody = Static<typeof CreateAppBody>

export const RotateSecretBody = Type.Object({ secret: AppSecret }, { additionalProperties: false })
export type RotateSecretBody = Static<typeof RotateSecretBody>

export const IssueKeyBody = Type.Object({ scope: Scope }, { additionalProperties: false })
export type IssueKeyBody = Static<typeof IssueKeyBody>

export const AppParams = Type.Object({ appId: AppId })
export type AppParams = Static<typeof AppParams>
export const KeyParams = Type.Object({ appId: AppId, keyId: Type.String({ minLength: 1, maxLength: 64 }) })
export type KeyParams = Static<typeof KeyParams>

export const AppView = Type.Object({
  appId: Type.String(),
  name: Type.String(),
  tokenMode: TokenMode,
  createdAt: Time,
})
/** `invalid`: WeChat refused the current AppSecret on a token endpoint; sends wait until it is rotated. */
export const CredentialsView = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('invalid')]),
  errcode: Type.Union([Type.Integer(), Type.Null()]),
  since: Type.Union([Time, Type.Null()]),
})
export const AppListItemView = Type.Object({
  appId: Type.String(),
  name: Type.String(),
  tokenMode: TokenMode,
  createdAt: Time,
  credentials: CredentialsView,
})
/** The one answer that shows a plain API key; it is stored hashed and never shown again. */
export const NewKeyView = Type.Object({
  id: Type.String(),
  key: Type.String({ description: '只显示这一次 / shown once' }),
  prefix: Type.String(),
  scope: Scope,
})
export const KeyView = Type.Object({
  id: Type.String(),
  prefix: Type.String(),
  scope: Scope,
  createdAt: Time,
  lastUsedAt: NullableTime,
  revokedAt: NullableTime,
})

export const CreatedAppView = Type.Object({ app: AppView, apiKey: NewKeyView })
export const AppListView = Type.Object({ items: Type.Array(AppListItemView) })
export const KeyListView = Type.Object({ items: Type.Array(KeyView) })
export const RotatedView = Type.Object({ appId: Type.String(), rotatedAt: Time })
export const RevokedView = Type.Object({ id: Type.String(), revoked: Type.Literal(true) })
