// @wxpush/sdk: the typed Node client of the wxpush API, and webhook verification.
export { createClient, type ClientOptions, type WxpushClient } from './client.ts'
export { WxpushError } from './errors.ts'
export { verifyWebhook, type WebhookEvent } from './webhook.ts'
export type * from './types.ts'
