// The consent ledger's SQL that other statements compose: the credits formula and the consent gate
// of the sends one statement writes. The formula is here and nowhere else (consents.store and the outbox's enqueue
// statement both use it), so a change to how credits count lands in one place.
import { sql } from 'kysely'

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

/**
 * The consent check of the sends of one statement, as CTEs composed into the outbox's enqueue
 * statement (messages.store enqueueMany). It reads the candidates from a CTE named `eligible`
 * (ord, id, app_id, user_id, template_id, kind) and ends in `allowed(ord, id)`: the candidates that
 * may go. One-time: the credits of each (user, template) are locked in key order (so that two
 * statements never wait on each other the other way round), as many taken as there are candidates
 * and credits left, given to the candidates in `ord` order, each with its `reserve` event, so that
 * the event log rebuilds `used` (reserve −1, release +1, zero / switch-off −credits left).
 * Long-term: the user's last answer must be accept; nothing is spent.
 */
export const CONSENT_GATE = sql`
      want AS (
        SELECT user_id, template_id, count(*)::int AS n FROM eligible
         WHERE kind = 'one_time' GROUP BY user_id, template_id),
      avail AS (
        SELECT consents.user_id, consents.template_id, least(want.n, ${CREDITS_LEFT})::int AS take
          FROM consents JOIN want ON consents.user_id = want.user_id AND consents.template_id = want.template_id
         WHERE ${CREDITS_LEFT} > 0
         ORDER BY consents.user_id, consents.template_id
           FOR UPDATE OF consents),
      taken AS (
        UPDATE consents SET used = consents.used + avail.take, updated_at = now()
          FROM avail
         WHERE consents.user_id = avail.user_id AND consents.template_id = avail.template_id
        RETURNING consents.user_id, consents.template_id, avail.take),
      allowed AS (
        SELECT e.ord, e.id
          FROM (SELECT ord, id, user_id, template_id,
                       row_number() OVER (PARTITION BY user_id, template_id ORDER BY ord) AS rn
                  FROM eligible WHERE kind = 'one_time') e
          JOIN taken t ON t.user_id = e.user_id AND t.template_id = e.template_id AND e.rn <= t.take
        UNION ALL
        SELECT e.ord, e.id
          FROM eligible e
          JOIN consents ON consents.user_id = e.user_id AND consents.template_id = e.template_id
         WHERE e.kind = 'long_term' AND ${LONG_TERM_ON}),
      reserved AS (
        INSERT INTO consent_events (app_id, user_id, template_id, action, source, delta, message_id)
        SELECT e.app_id, e.user_id, e.template_id, 'reserve', 'wxpush', -1, e.id
          FROM eligible e JOIN allowed a ON a.ord = e.ord
         WHERE e.kind = 'one_time')`
