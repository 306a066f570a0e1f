// Every SQL statement about campaigns. Writers take `db`, which may be a transaction.
//
// The audience never passes through the process: it is expanded by INSERT … SELECT into
// campaign_recipients (or streamed there in chunks from an upload), then fanned out into messages
// chunk by chunk, each chunk ONE statement that takes the credits, writes the messages and moves
// the campaign's cursor together. A worker killed mid fan-out leaves the cursor where the last
// committed chunk put it: the next one goes on from there, nobody lost, nobody twice.
import { sql, type RawBuilder } from 'kysely'
import type { Db } from '../db/db.ts'
import type { CampaignAudienceRecord, CampaignStatus } from '../db/db.schema.ts'
import type { ClaimedMessage } from '../messages/messages.store.ts'

/** The consents domain's credit rules (consents.credits.ts), over an unaliased `consents` row. */
export interface ConsentRules {
  creditsLeft: RawBuilder<number>
  longTermOn: RawBuilder<boolean>
}

export interface NewCampaign {
  id: string
  appId: string
  name: string
  templateId: string
  templateKind: 'one_time' | 'long_term'
  data: Record<string, string>
  audience: CampaignAudienceRecord
  page: string | null
  miniprogramState: string | null
  lang: string | null
  fit: boolean
  ratePerS: number | null
  status: CampaignStatus
  idempotencyKey: string | null
  sendAt: Date | null
}

/** Audiences expanded in SQL. */
export type StagedAudience =
  | { kind: 'consented' }
  | { kind: 'tag'; tag: string }
  | { kind: 'userIds'; ids: string[] }
  | { kind: 'openids'; ids: string[] }

const OPEN_STATUSES = sql`('queued', 'scheduled', 'sending')`

export function createCampaignsStore() {
  return {
    async insert(db: Db, c: NewCampaign) {
      await db
        .insertInto('campaigns')
        .values({
          id: c.id,
          app_id: c.appId,
          name: c.name,
          template_id: c.templateId,
          template_kind: c.templateKind,
          data: JSON.stringify(c.data),
          audience: JSON.stringify(c.audience),
          page: c.page,
          miniprogram_state: c.miniprogramState,
          lang: c.lang,
          fit: c.fit,
          rate_per_s: c.ratePerS,
          status: c.status,
          idempotency_key: c.idempotencyKey,
          send_at: c.sendAt,
          started_at: c.status === 'running' ? new Date() : null,
          due_at: c.status === 'draft' ? null : (c.sendAt ?? new Date()),
        })
        .execute()
      if (c.ratePerS !== null) {
        await db
          .insertInto('campaign_rate_buckets')
          .values({ campaign_id: c.id, rate_per_s: c.ratePerS, tokens: Math.max(1, c.ratePerS) })
          .execute()
      }
    },

    /**
     * Expands the audience into campaign_recipients in one INSERT … SELECT; answers how many.
     * consented: every user holding a one-time credit (or a long-term accept) for the template now.
     * Inline lists keep their order; an id nobody has stays with user_id NULL (skipped later).
     */
    async stage(
      db: Db,
      p: {
        campaignId: string
        appId: string
        templateId: string
        templateKind: 'one_time' | 'long_term'
        audience: StagedAudience
        consent: ConsentRules
      },
    ) {
      const c = p.campaignId
      // Consented and tag audiences are numbered in user order (the fan-out then walks consents and
      // users in key order): the sort of a million ids fits in memory with this, not in 4 MB.
      // LOCAL: until the end of the creating transaction.
      if (p.audience.kind === 'consented' || p.audience.kind === 'tag')
        await sql`SET LOCAL work_mem = '64MB'`.execute(db)
      let r
      switch (p.audience.kind) {
        case 'consented':
          r = await sql`
            INSERT INTO campaign_recipients (campaign_id, seq, user_id)
            SELECT ${c}, row_number() OVER (ORDER BY consents.user_id), consents.user_id
              FROM consents
             WHERE consents.app_id = ${p.appId} AND consents.template_id = ${p.templateId}
               AND CASE WHEN ${p.templateKind}::text = 'one_time' THEN ${p.consent.creditsLeft} > 0
                        ELSE ${p.consent.longTermOn} END`.execute(db)
          break
        case 'tag':
          r = await sql`
            INSERT INTO campaign_recipients (campaign_id, seq, user_id)
            SELECT ${c}, row_number() OVER (ORDER BY t.user_id), t.user_id
              FROM user_tags t WHERE t.app_id = ${p.appId} AND t.tag = ${p.audience.tag}`.execute(db)
          break
        case 'userIds':
        case 'openids': {
          const column = p.audience.kind === 'userIds' ? sql`u.id` : sql`u.openid`
          r = await sql`
            INSERT INTO campaign_recipients (campaign_id, seq, user_id)
            SELECT ${c}, x.i, u.id
              FROM unnest(${p.audience.ids}::text[]) WITH ORDINALITY AS x(v, i)
              LEFT JOIN users u ON u.app_id = ${p.appId} AND ${column} = x.v`.execute(db)
          break
        }
      }
      const n = Number(r.numAffectedRows ?? 0)
      await sql`UPDATE campaigns SET recipients = ${n}, next_seq = ${n} WHERE id = ${c}`.execute(db)
      return n
    },

    /** Locks a draft upload campaign for the length of an upload (uploads to one campaign queue up). */
    async lockForUpload(db: Db, p: { appId: string; id: string }) {
      const r = await sql<{
        status: CampaignStatus
        audience: CampaignAudienceRecord
        next_seq: string
        recipients: number
      }>`
        SELECT status, audience, next_seq, recipients FROM campaigns
         WHERE app_id = ${p.appId} AND id = ${p.id} FOR UPDATE`.execute(db)
      return r.rows[0]
    },

    /** One chunk of uploaded lines: recipients resolved by openid or userId in the same statement. */
    async appendRecipients(
      db: Db,
      p: {
        campaignId: string
        appId: string
        rows: { seq: number; openid?: string; userId?: string; data: Record<string, string> | null }[]
      },
    ) {
      if (p.rows.length === 0) return
      // Column arrays, not one JSON document: unnest reads them without parsing JSON per row.
      const seqs = p.rows.map((r) => r.seq)
      const openids = p.rows.map((r) => r.openid ?? null)
      const userIds = p.rows.map((r) => r.userId ?? null)
      const data = p.rows.map((r) => (r.data ? JSON.stringify(r.data) : null))
      await sql`
        INSERT INTO campaign_recipients (campaign_id, seq, user_id, data)
        SELECT ${p.campaignId}, v.seq, coalesce(a.id, b.id), v.data::jsonb
          FROM unnest(${seqs}::bigint[], ${openids}::text[], ${userIds}::text[], ${data}::text[])
               AS v(seq, openid, user_id, data)
          LEFT JOIN users a ON a.app_id = ${p.appId} AND a.openid = v.openid
          LEFT JOIN users b ON b.app_id = ${p.appId} AND b.id = v.user_id`.execute(db)
    },

    async finishUpload(db: Db, p: { id: string; nextSeq: number; accepted: number; rejected: number }) {
      await sql`
        UPDATE campaigns
           SET next_seq = ${p.nextSeq}, recipients = recipients + ${p.accepted + p.rejected},
               skipped_by = wxpush_counts_add(skipped_by, jsonb_build_object('invalid', ${p.rejected}::int)),
               updated_at = now()
         WHERE id = ${p.id}`.execute(db)
    },

    async hasRecipients(db: Db, id: string) {
      const r = await db
        .selectFrom('campaign_recipients')
        .select('seq')
        .where('campaign_id', '=', id)
        .limit(1)
        .executeTakeFirst()
      return r !== undefined
    },

    find(db: Db, appId: string, id: string) {
      return db
        .selectFrom('campaigns')
        .selectAll()
        .where('app_id', '=', appId)
        .where('id', '=', id)
        .executeTakeFirst()
    },

    findByIdempotencyKey(db: Db, appId: string, key: string) {
      return db
        .selectFrom('campaigns')
        .select(['id', 'status'])
        .where('app_id', '=', appId)
        .where('idempotency_key', '=', key)
        .executeTakeFirst()
    },

    list(
      db: Db,
      p: {
        appId: string
        status?: CampaignStatus | undefined
        before?: { createdAt: Date; id: string }
        limit: number
      },
    ) {
      let q = db.selectFrom('campaigns').selectAll().where('app_id', '=', p.appId)
      if (p.status) q = q.where('status', '=', p.status)
      if (p.before) {
        const b = p.before
        q = q.where((eb) =>
          eb.or([
            eb('created_at', '<', b.createdAt),
            eb.and([eb('created_at', '=', b.createdAt), eb('id', '<', b.id)]),
          ]),
        )
      }
      return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(p.limit).execute()
    },

    /** Messages of the campaign by status and reason (uses messages_campaign_status). */
    async messageCounts(db: Db, id: string) {
      const r = await sql<{ status: string; reason: string | null; n: number }>`
        SELECT status, reason, count(*)::int AS n FROM messages WHERE campaign_id = ${id}
         GROUP BY status, reason`.execute(db)
      return r.rows
    },

    /**
     * Moves the status when it is one of `from`; answers the row after, or undefined. Start and
     * resume make the campaign due at once (or at sendAt).
     */
    async transition(db: Db, p: { appId: string; id: string; from: CampaignStatus[]; to: CampaignStatus }) {
      const due =
        p.to === 'running' || p.to === 'scheduled'
          ? sql`coalesce(greatest(send_at, now()), now())`
          : sql`due_at`
      const r = await sql<{ id: string }>`
        UPDATE campaigns
           SET status = ${p.to}, updated_at = now(), due_at = ${due},
               started_at = CASE WHEN ${p.to}::text = 'running' THEN coalesce(started_at, now()) ELSE started_at END
         WHERE app_id = ${p.appId} AND id = ${p.id} AND status IN (${sql.join(p.from)})
        RETURNING id`.execute(db)
      return r.rows.length > 0
    },

    /**
     * Cancels: the campaign stops (no more fan-out, no more claims) and the recipients not yet
     * fanned out are counted as skipped: cancelled. Its queued messages go in cancelQueuedChunk.
     */
    async markCancelled(db: Db, p: { appId: string; id: string }) {
      const r = await sql<{ id: string }>`
        UPDATE campaigns k
           SET status = 'cancelled', updated_at = now(), due_at = now(), fanout_done = true,
               skipped_by = wxpush_counts_add(k.skipped_by, jsonb_build_object('cancelled',
                 (SELECT count(*) FROM campaign_recipients r WHERE r.campaign_id = k.id AND r.seq > k.fanout_cursor)))
         WHERE app_id = ${p.appId} AND id = ${p.id} AND status IN ('draft', 'scheduled', 'running', 'paused')
        RETURNING id`.execute(db)
      return r.rows.length > 0
    },

    /** Up to `limit` queued messages of a cancelled campaign → cancelled; answers them (credits go back). */
    async cancelQueuedChunk(db: Db, p: { id: string; limit: number }) {
      const r = await sql<{
        id: string
        app_id: string
        user_id: string
        template_id: string
        credit_reserved: boolean
      }>`
        WITH x AS (
          SELECT id FROM messages WHERE campaign_id = ${p.id} AND status IN ('queued', 'scheduled')
           LIMIT ${p.limit} FOR UPDATE SKIP LOCKED),
        moved AS (
          UPDATE messages m SET status = 'cancelled', reason = 'campaign_cancelled', updated_at = now()
            FROM x WHERE m.id = x.id AND m.status IN ('queued', 'scheduled')
          RETURNING m.id, m.app_id, m.user_id, m.template_id, m.credit_reserved),
        history AS (
          INSERT INTO message_events (message_id, status, reason)
          SELECT id, 'cancelled', 'campaign_cancelled' FROM moved)
        SELECT * FROM moved`.execute(db)
      return r.rows
    },

    /** Campaigns the scheduler should look at now, leased to `workerId` for `leaseMs`. */
    async claimDue(db: Db, p: { workerId: string; limit: number; leaseMs: number }) {
      const r = await sql<{
        id: string
        app_id: string
        status: CampaignStatus
        fanout_done: boolean
        template_kind: 'one_time' | 'long_term'
        audience: CampaignAudienceRecord
      }>`
        UPDATE campaigns c
           SET due_at = now() + make_interval(secs => ${p.leaseMs / 1000}), leased_by = ${p.workerId}
         WHERE c.id IN (
                SELECT id FROM campaigns
                 WHERE NOT settled AND status IN ('scheduled', 'running', 'cancelled') AND due_at <= now()
                 ORDER BY due_at LIMIT ${p.limit} FOR UPDATE SKIP LOCKED)
        RETURNING c.id, c.app_id, c.status, c.fanout_done, c.template_kind, c.audience`.execute(db)
      return r.rows
    },

    /** Gives the campaign back to the scheduler, to be looked at again after `afterMs`. */
    async release(db: Db, p: { id: string; workerId: string; afterMs: number }) {
      await sql`
        UPDATE campaigns SET due_at = now() + make_interval(secs => ${p.afterMs / 1000}), leased_by = NULL
         WHERE id = ${p.id} AND leased_by = ${p.workerId} AND NOT settled`.execute(db)
    },

    async startIfDue(db: Db, id: string) {
      await sql`
        UPDATE campaigns SET status = 'running', started_at = coalesce(started_at, now()), updated_at = now()
         WHERE id = ${id} AND status = 'scheduled' AND coalesce(send_at, now()) <= now()`.execute(db)
    },

    /**
     * One chunk of the fan-out, in ONE statement: the recipients with seq in (cursor, cursor +
     * limit] (a range of the primary key, so a chunk reads its own rows and nothing after them);
     * unknown ones and repeats of a user seen earlier in the campaign are skipped; one-time credits
     * are taken (long-term: an accept is needed) exactly as a single send takes them; a message is
     * written for each recipient that has one, the others are skipped (no_credit / not_subscribed);
     * the cursor moves. Only while the campaign runs and the caller holds its lease.
     * Cost: per recipient one consents UPDATE and its reserve event, one INSERT, and where the
     * audience may repeat a user one index probe for an earlier entry. Message ids share
     * `idPrefix` (newId's prefix and time) and end in random hex (a subset of newId's alphabet):
     * one chunk's ids land side by side in messages_pkey.
     */
    async fanoutChunk(
      db: Db,
      p: {
        id: string
        workerId: string
        /** The campaign's template kind: only its own consent check is written into the statement. */
        kind: 'one_time' | 'long_term'
        /** The audience may list a user twice (inline lists, uploads): each is checked for an earlier entry. */
        repeats: boolean
        limit: number
        leaseMs: number
        idPrefix: string
        consent: ConsentRules
      },
    ) {
      // Both end in allowed(user_id, message_id, data), carrying what the INSERT needs: joined back
      // to fresh, the planner (which guesses one row per CTE) would pick a nested loop of chunk × chunk.
      const gate =
        p.kind === 'one_time'
          ? sql`
        taken AS (
          UPDATE consents SET used = consents.used + 1, updated_at = now()
            FROM fresh f
           WHERE consents.user_id = f.user_id AND consents.template_id = (SELECT template_id FROM k)
             AND ${p.consent.creditsLeft} > 0
          RETURNING consents.app_id, consents.user_id, consents.template_id, f.message_id, f.data),
        -- the same reserve event a single send writes, so that the event log rebuilds used
        reserved AS (
          INSERT INTO consent_events (app_id, user_id, template_id, action, source, delta, message_id)
          SELECT app_id, user_id, template_id, 'reserve', 'wxpush', -1, message_id FROM taken),
        allowed AS (SELECT user_id, message_id, data FROM taken)`
          : sql`
        allowed AS (
          SELECT f.user_id, f.message_id, f.data FROM fresh f
            JOIN consents ON consents.user_id = f.user_id AND consents.template_id = (SELECT template_id FROM k)
           WHERE ${p.consent.longTermOn})`
      // A consented or tag audience holds each user once (consents and user_tags are keyed by user).
      const dup = p.repeats
        ? sql`EXISTS (SELECT 1 FROM campaign_recipients d
                       WHERE d.campaign_id = cr.campaign_id AND d.user_id = cr.user_id AND d.seq < cr.seq)`
        : sql`false`
      const r = await sql<{ moved: number; queued: number; done: boolean | null }>`
        WITH k AS (
          SELECT * FROM campaigns
           WHERE id = ${p.id} AND status = 'running' AND leased_by = ${p.workerId} AND NOT fanout_done
             FOR UPDATE),
        r AS (
          SELECT cr.seq, cr.user_id, cr.data, ${dup} AS dup
            FROM campaign_recipients cr
           WHERE cr.campaign_id = ${p.id}
             AND cr.seq > (SELECT fanout_cursor FROM k)
             AND cr.seq <= (SELECT fanout_cursor FROM k) + ${p.limit}),
        fresh AS (
          SELECT *, ${p.idPrefix} || substr(md5(random()::text || seq::text), 1, 16) AS message_id
            FROM r WHERE user_id IS NOT NULL AND NOT dup),
        ${gate},
        inserted AS (
          INSERT INTO messages (id, app_id, user_id, openid, template_id, template_kind, data, page,
                                miniprogram_state, lang, status, run_at, credit_reserved, campaign_id, created_at)
          SELECT a.message_id, k.app_id, u.id, u.openid, k.template_id,
                 k.template_kind, k.data || coalesce(a.data, '{}'::jsonb), k.page, k.miniprogram_state, k.lang,
                 'queued', now(), ${p.kind === 'one_time'}::boolean, k.id, date_trunc('milliseconds', now())
            FROM allowed a JOIN users u ON u.id = a.user_id CROSS JOIN k
           ORDER BY a.message_id
          RETURNING 1),
        tally AS (
          SELECT count(*) FILTER (WHERE user_id IS NULL)::int AS unknown,
                 count(*) FILTER (WHERE dup)::int AS dup,
                 (SELECT count(*) FROM fresh)::int AS fresh,
                 (SELECT count(*) FROM allowed)::int AS allowed
            FROM r),
        moved AS (
          UPDATE campaigns c
             SET fanout_cursor = least(c.fanout_cursor + ${p.limit}, c.next_seq),
                 fanout_done = c.fanout_cursor + ${p.limit} >= c.next_seq,
                 skipped_by = wxpush_counts_add(c.skipped_by, jsonb_build_object(
                   'unknown_recipient', t.unknown, 'duplicate', t.dup,
                   ${p.kind === 'one_time' ? 'no_credit' : 'not_subscribed'}::text, t.fresh - t.allowed)),
                 due_at = now() + make_interval(secs => ${p.leaseMs / 1000}),
                 updated_at = now()
            FROM tally t
           WHERE c.id = (SELECT id FROM k)
          RETURNING c.fanout_done)
        SELECT (SELECT count(*) FROM moved)::int AS moved, (SELECT count(*) FROM inserted)::int AS queued,
               (SELECT fanout_done FROM moved) AS done`.execute(db)
      const row = r.rows[0]!
      return { moved: row.moved > 0, queued: row.queued, done: row.done === true }
    },

    /** running → completed once everything is fanned out and no message is open. */
    async completeIfDone(db: Db, id: string) {
      const r = await sql<{ id: string; app_id: string }>`
        UPDATE campaigns SET status = 'completed', settled = true, completed_at = now(), updated_at = now(),
                             due_at = NULL, leased_by = NULL
         WHERE id = ${id} AND status = 'running' AND fanout_done
           AND NOT EXISTS (SELECT 1 FROM messages WHERE campaign_id = ${id} AND status IN ${OPEN_STATUSES})
        RETURNING id, app_id`.execute(db)
      return r.rows[0]
    },

    /** A cancelled campaign is settled once none of its messages is open any more. */
    async settleCancelled(db: Db, id: string) {
      const r = await sql<{ id: string; app_id: string }>`
        UPDATE campaigns SET settled = true, completed_at = now(), updated_at = now(), due_at = NULL, leased_by = NULL
         WHERE id = ${id} AND status = 'cancelled' AND NOT settled
           AND NOT EXISTS (SELECT 1 FROM messages WHERE campaign_id = ${id} AND status IN ${OPEN_STATUSES})
        RETURNING id, app_id`.execute(db)
      return r.rows[0]
    },

    /**
     * The dispatcher's second claim, for room left after single sends: due messages of running
     * campaigns, oldest campaign first, each within its own rate (campaign_rate_buckets, locked
     * SKIP LOCKED so concurrent claimers never over-spend a bucket). Same row protocol as
     * messages.store claim (status 'sending', lease, attempts + 1).
     */
    async claimMessages(
      db: Db,
      p: { workerId: string; limit: number; leaseMs: number },
    ): Promise<ClaimedMessage[]> {
      const r = await sql<ClaimedMessage>`
        WITH b AS (
          SELECT campaign_id,
                 least(greatest(rate_per_s, 1),
                       tokens + extract(epoch FROM clock_timestamp() - updated_at) * rate_per_s) AS avail
            FROM campaign_rate_buckets
           WHERE campaign_id IN (SELECT id FROM campaigns WHERE status = 'running')
             FOR UPDATE SKIP LOCKED),
        c AS (
          SELECT k.id, k.started_at,
                 CASE WHEN k.rate_per_s IS NULL THEN ${p.limit}
                      ELSE coalesce(floor((SELECT avail FROM b WHERE b.campaign_id = k.id)), 0)::int END AS allow
            FROM campaigns k WHERE k.status = 'running'),
        picked AS (
          SELECT x.id, x.campaign_id FROM (SELECT * FROM c WHERE allow > 0 ORDER BY started_at, id) c
           CROSS JOIN LATERAL (
             SELECT m.id, m.campaign_id FROM messages m
              WHERE m.campaign_id = c.id AND m.status IN ('queued', 'scheduled') AND m.run_at <= now()
                -- one send of a user and template at a time while one waits for delivery evidence
                AND NOT EXISTS (
                      SELECT 1 FROM messages w
                       WHERE w.awaiting_evidence_since IS NOT NULL AND w.run_at > now()
                         AND w.app_id = m.app_id AND w.openid = m.openid
                         AND w.template_id = m.template_id AND w.id <> m.id)
              ORDER BY m.run_at LIMIT least(c.allow, ${p.limit})
                FOR UPDATE SKIP LOCKED) x
           LIMIT ${p.limit}),
        claimed AS (
          UPDATE messages m
             SET status = 'sending', attempts = m.attempts + 1,
                 lease_until = now() + make_interval(secs => ${p.leaseMs / 1000}),
                 leased_by = ${p.workerId}, updated_at = now(), awaiting_evidence_since = NULL
            FROM picked WHERE m.id = picked.id
          RETURNING m.id, m.app_id, m.user_id, m.openid, m.template_id, m.template_kind, m.data, m.page,
                    m.miniprogram_state, m.lang, m.attempts, m.uncertain_attempts, m.credit_reserved, m.campaign_id,
                    m.channel, m.content,
                    EXISTS (SELECT 1 FROM callback_configs cc WHERE cc.app_id = m.app_id) AS has_callbacks),
        spent AS (
          UPDATE campaign_rate_buckets x SET tokens = b.avail - n.k, updated_at = clock_timestamp()
            FROM b JOIN (SELECT campaign_id, count(*) AS k FROM picked GROUP BY campaign_id) n
                 ON n.campaign_id = b.campaign_id
           WHERE x.campaign_id = b.campaign_id)
        SELECT id, app_id, user_id, openid, template_id, template_kind, data, page, miniprogram_state, lang,
               attempts, uncertain_attempts, credit_reserved, channel, content, has_callbacks FROM claimed`.execute(
        db,
      )
      return r.rows
    },
  }
}

export type CampaignsStore = ReturnType<typeof createCampaignsStore>
