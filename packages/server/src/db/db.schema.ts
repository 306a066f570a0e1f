// Table types for Kysely, one interface per table in ../../migrations.
import type { ColumnType, Generated } from 'kysely'

type CreatedAt = ColumnType<Date, Date | string | undefined, never>
type Timestamp = ColumnType<Date, Date | string, Date | string>
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
type Json<T> = ColumnType<T, string, string>

export interface AppsTable {
  id: string
  name: string
  secret_enc: string
  token_mode: 'stable' | 'classic'
  created_at: CreatedAt
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
}

export interface ApiKeysTable {
  id: string
  app_id: string
  key_hash: string
  prefix: string
  scope: 'app' | 'admin'
  created_at: CreatedAt
  revoked_at: NullableTimestamp
  last_used_at: NullableTimestamp
}

export interface AccessTokensTable {
  app_id: string
  token_enc: string | null
  token_hash: string | null
  expires_at: NullableTimestamp
  fetched_at: NullableTimestamp
  refreshing_until: NullableTimestamp
  refreshes: Generated<number>
  refused_secret_hash: string | null
  refused_errcode: number | null
  refused_at: NullableTimestamp
}

export interface UsersTable {
  id: string
  app_id: string
  openid: string
  unionid: string | null
  session_key_enc: string | null
  created_at: CreatedAt
  last_login_at: NullableTimestamp
}

export interface SessionsTable {
  token_hash: string
  user_id: string
  app_id: string
  created_at: CreatedAt
  expires_at: Timestamp
}

export interface TemplateKeyword {
  key: string
  type: string
  name: string
  enumValues?: string[]
}

export interface TemplatesTable {
  app_id: string
  id: string
  alias: string | null
  title: string
  kind: 'one_time' | 'long_term'
  content: string
  example: Generated<string>
  keywords: Json<TemplateKeyword[]>
  synced_at: ColumnType<Date, Date | string | undefined, Date | string>
  deleted_at: NullableTimestamp
}

export type ConsentStatus = 'accept' | 'reject' | 'ban' | 'filter' | 'off'
export type ConsentSource = 'miniprogram' | 'wechat'

export interface ConsentsTable {
  app_id: string
  user_id: string
  template_id: string
  reported: Generated<number>
  confirmed: Generated<number>
  used: Generated<number>
  status: ConsentStatus
  source: ConsentSource
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
  unconfirmed_until: NullableTimestamp
}

/** The "always keep this choice" settings: templateId → the saved answer. */
export type ItemSettings = Record<string, string>

export interface SubscriptionSettingsTable {
  user_id: string
  app_id: string
  main_switch: Generated<boolean>
  item_settings: ColumnType<ItemSettings, string | undefined, string>
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
}

export interface ConsentEventsTable {
  id: Generated<string>
  app_id: string
  user_id: string
  template_id: string
  action: string
  source: string
  delta: Generated<number>
  message_id: string | null
  created_at: CreatedAt
}

export type MessageStatus = 'scheduled' | 'queued' | 'sending' | 'sent' | 'delivered' | 'failed' | 'cancelled'

export interface MessagesTable {
  id: string
  app_id: string
  user_id: string
  openid: string
  /** '' for a customer-service message (it has content instead). */
  template_id: string
  template_kind: 'one_time' | 'long_term' | 'none'
  data: Json<Record<string, string>>
  page: string | null
  miniprogram_state: string | null
  lang: string | null
  status: MessageStatus
  reason: string | null
  errcode: number | null
  errmsg: string | null
  attempts: Generated<number>
  uncertain_attempts: Generated<number>
  credit_reserved: Generated<boolean>
  awaiting_evidence_since: NullableTimestamp
  run_at: ColumnType<Date, Date | string | undefined, Date | string>
  lease_until: NullableTimestamp
  leased_by: string | null
  idempotency_key: string | null
  wechat_msgid: string | null
  created_at: CreatedAt
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
  sent_at: NullableTimestamp
  delivered_at: NullableTimestamp
  campaign_id: ColumnType<string | null, string | null | undefined, string | null>
  channel: Generated<MessageChannel>
  /** Customer-service content as WeChat gets it: {msgtype, <msgtype>: {…}}. */
  content: Json<Record<string, unknown>> | null
}

export type MessageChannel = 'subscribe' | 'customer_service' | 'official_account'

export interface MessageEventsTable {
  id: Generated<string>
  message_id: string
  status: string
  reason: string | null
  errcode: number | null
  detail: string | null
  created_at: CreatedAt
}

export interface RateLimitsTable {
  app_id: string
  rate_per_s: number
  burst: number
  tokens: number
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
}

export interface WebhooksTable {
  app_id: string
  url: string
  secret_enc: string
  created_at: CreatedAt
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
}

export interface WebhookDeliveriesTable {
  id: string
  app_id: string
  message_id: string
  payload: Json<Record<string, unknown>>
  status: 'queued' | 'sending' | 'delivered' | 'failed'
  attempts: Generated<number>
  last_status: number | null
  last_error: string | null
  run_at: ColumnType<Date, Date | string | undefined, Date | string>
  lease_until: NullableTimestamp
  leased_by: string | null
  created_at: CreatedAt
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
}

export interface CallbackConfigsTable {
  app_id: string
  token_enc: string
  encoding_aes_key_enc: string | null
  mode: 'plain' | 'compatible' | 'secure'
  format: 'json' | 'xml'
  created_at: CreatedAt
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
}

export interface CallbackNoncesTable {
  app_id: string
  ts: string
  nonce: string
  body_hash: string
  seen_at: CreatedAt
}

export interface CallbackEventsTable {
  id: Generated<string>
  app_id: string
  dedupe_key: string
  event_type: string
  openid: Generated<string>
  create_time: ColumnType<string, number | string | undefined, number | string>
  format: 'json' | 'xml'
  body: string
  payload: Json<Record<string, unknown>>
  ordered: Generated<boolean>
  status: Generated<'pending' | 'done' | 'failed'>
  attempts: Generated<number>
  error: string | null
  run_at: ColumnType<Date, Date | string | undefined, Date | string>
  received_at: CreatedAt
  processed_at: NullableTimestamp
}

export interface CustomerServiceWindowsTable {
  user_id: string
  app_id: string
  last_message_at: NullableTimestamp
  last_session_at: NullableTimestamp
  allowance_left: Generated<number>
  open_until: NullableTimestamp
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
}

export interface UserTagsTable {
  user_id: string
  app_id: string
  tag: string
  created_at: CreatedAt
}

export type CampaignStatus = 'draft' | 'scheduled' | 'running' | 'paused' | 'completed' | 'cancelled'

export interface CampaignAudienceRecord {
  kind: 'consented' | 'tag' | 'userIds' | 'openids' | 'upload'
  tag?: string
}

export interface CampaignsTable {
  id: string
  app_id: string
  name: string
  template_id: string
  template_kind: 'one_time' | 'long_term'
  data: Json<Record<string, string>>
  audience: Json<CampaignAudienceRecord>
  page: string | null
  miniprogram_state: string | null
  lang: string | null
  fit: Generated<boolean>
  rate_per_s: number | null
  status: CampaignStatus
  idempotency_key: string | null
  send_at: NullableTimestamp
  recipients: Generated<number>
  next_seq: ColumnType<string, number | string | undefined, number | string>
  fanout_cursor: ColumnType<string, number | string | undefined, number | string>
  fanout_done: Generated<boolean>
  skipped_by: ColumnType<Record<string, number>, string | undefined, string>
  settled: Generated<boolean>
  due_at: NullableTimestamp
  leased_by: string | null
  created_at: CreatedAt
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
  started_at: NullableTimestamp
  completed_at: NullableTimestamp
}

export interface CampaignRecipientsTable {
  campaign_id: string
  seq: ColumnType<string, number | string, number | string>
  user_id: string | null
  data: Json<Record<string, string>> | null
}

export interface CampaignRateBucketsTable {
  campaign_id: string
  rate_per_s: number
  tokens: number
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
}

export interface MediaTable {
  id: string
  app_id: string
  content_type: string
  bytes: Uint8Array
  size: number
  sha256: string
  /** WeChat's temporary media_id, valid 3 days from uploaded_at. */
  wechat_media_id: string | null
  uploaded_at: NullableTimestamp
  created_at: CreatedAt
}

export interface OfficialAccountsTable {
  app_id: string
  oa_appid: string
  secret_enc: string
  token_enc: string
  followers_synced_at: NullableTimestamp
  created_at: CreatedAt
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
}

export type ConsoleRole = 'admin' | 'operator' | 'viewer'

export interface ConsoleOperatorsTable {
  username: string
  password_hash: string
  role: ConsoleRole
  app_ids: Json<string[]>
  created_at: CreatedAt
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
}

export interface OfficialAccountFollowersTable {
  app_id: string
  unionid: string
  openid: string
  following: boolean
  checked_at: ColumnType<Date, Date | string, Date | string>
}

export interface ConsoleSessionsTable {
  token_hash: string
  username: string
  csrf_token: string
  created_at: CreatedAt
  expires_at: Timestamp
}

export interface ConsoleAuditTable {
  id: Generated<string>
  at: CreatedAt
  username: string
  action: string
  app_id: string | null
  target: string | null
  detail: Json<Record<string, unknown>>
}

export interface Database {
  user_tags: UserTagsTable
  campaigns: CampaignsTable
  campaign_recipients: CampaignRecipientsTable
  campaign_rate_buckets: CampaignRateBucketsTable
  rate_limits: RateLimitsTable
  webhooks: WebhooksTable
  webhook_deliveries: WebhookDeliveriesTable
  apps: AppsTable
  api_keys: ApiKeysTable
  access_tokens: AccessTokensTable
  users: UsersTable
  sessions: SessionsTable
  templates: TemplatesTable
  consents: ConsentsTable
  consent_events: ConsentEventsTable
  subscription_settings: SubscriptionSettingsTable
  messages: MessagesTable
  message_events: MessageEventsTable
  callback_configs: CallbackConfigsTable
  callback_events: CallbackEventsTable
  callback_nonces: CallbackNoncesTable
  customer_service_windows: CustomerServiceWindowsTable
  media: MediaTable
  official_accounts: OfficialAccountsTable
  official_account_followers: OfficialAccountFollowersTable
  console_operators: ConsoleOperatorsTable
  console_sessions: ConsoleSessionsTable
  console_audit: ConsoleAuditTable
}
