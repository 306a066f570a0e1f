// The consent ledger's SQL that other statements compose: the credits formula and the consent gate
// of one send. The formula is here and nowhere else (consents.store and the outbox's enqueue
// statement both use it), so a change to how credits count lands in one place.
import { sql, type RawBuilder } from 'kysely'

/**
 * The user turned sends of this template off in WeChat's settings, as far as wxpush knows: the
 * main switch, or "always keep: reject" (or a template WeChat banned) for this template (0010).
 */
export const SWITCHED_OFF = sql<boolean>`EXISTS (
  SELECT 1 FROM subscription_settings s
   WHERE s.user_id = consents.user_id
     AND (NOT s.main_switch OR s.item_settings ->> consents.template_id IN ('reject', 'ban')))`

/**
 * One-time sends still available, over a row of `consents` (unaliased). One tap counts once
 * whichever source reported it (migrations/0003 says why the two sources are counted apart); a
 * report that no popup event confirmed within the window stops counting (0010): past
 * unconfirmed_until only the confirmed accepts are credits; none while the user is switched off.
 */
export const CREDITS_LEFT = sql<number>`(CASE
  WHEN ${SWITCHED_OFF} THEN 0
  WHEN consents.unconfirmed_until < now() THEN greatest(consents.confirmed - consents.used, 0)
  ELSE greatest(consents.reported, consents.confirmed) - consents.used END)`

/** A long-term template may be sent: accepted, and not switched off. */
export const LONG_TERM_ON = sql<boolean>`(consents.status = 'accept' AND NOT ${SWITCHED_OFF})`

/** The consent check of one send, as CTEs ending in `allowed(user_id)`: see consentGate. */
export type ConsentGate = (user: RawBuilder<unknown>) => RawBuilder<unknown>

/**
 * The consent check of one send, composed into the outbox's enqueue statement. `allowed` has a row
 * when the send may go. One-time: takes one credit (the UPDATE row-locks, so concurrent sends to
 * one user and template serialise here) and writes its `reserve` event, so that the event log
 * rebuilds `used` (reserve −1, release +1, zero / switch-off −credits left). Long-term: the
 * user's last answer must be accept; nothing is spent.
 */
export function consentGate(p: {
  kind: 'one_time' | 'long_term'
  templateId: string
  messageId: string
}): ConsentGate {
  if (p.kind === 'long_term') {
    return (user) => sql`
      allowed AS (
        SELECT user_id FROM consents
         WHERE user_id = ${user} AND template_id = ${p.templateId} AND ${LONG_TERM_ON})`
  }
  return (user) => sql`
      taken AS (
        UPDATE consents SET used = used + 1, updated_at = now()
         WHERE user_id = ${user} AND template_id = ${p.templateId} AND ${CREDITS_LEFT} > 0
        RETURNING app_id, user_id, template_id),
      reserved AS (
        INSERT INTO consent_events (app_id, user_id, template_id, action, source, delta, message_id)
        SELECT app_id, user_id, template_id, 'reserve', 'wxpush', -1, ${p.messageId}::text FROM taken),
      allowed AS (SELECT user_id FROM taken)`
}
