// The closed set of message states and terminal reasons.
import type { MessageStatus } from '../db/db.schema.ts'

export const MESSAGE_STATUSES: readonly MessageStatus[] = Object.freeze([
  'scheduled',
  'queued',
  'sending',
  'sent',
  'delivered',
  'failed',
  'cancelled',
])

/**
 * Why a message failed. WeChat errcodes map onto these through @wxpush/wechat's catalogue
 * (43101 → user_refused, 47003 → content_invalid, …); the ones below are wxpush's own.
 */
export const OWN_FAILURE_REASONS = Object.freeze({
  retriesExhausted: 'retries_exhausted', // retriable failures until WXPUSH_MAX_ATTEMPTS
  outcomeUnknown: 'outcome_unknown', // the request reached WeChat but no answer came back, and retrying is off
  userRefused: 'user_refused',
} as const)
