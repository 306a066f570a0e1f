-- Campaigns (one template to many users): user tags, the campaigns, their staged recipients, and the
-- campaign link on messages. Fan-out and counts happen in SQL (src/campaigns/campaigns.store.ts).

-- Tags a backend puts on its users ("meeting-42"); a campaign's audience can be a tag.
CREATE TABLE user_tags (
  user_id text NOT NULL REFERENCES users (id),
  app_id text NOT NULL REFERENCES apps (id),
  tag text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, tag)
);
CREATE INDEX user_tags_by_tag ON user_tags (app_id, tag, user_id);

-- status: draft (upload audience, not started) → scheduled (sendAt ahead) → running ⇄ paused
--         → completed; cancelled from any non-final state.
-- Fan-out: recipients with seq <= fanout_cursor have become messages or were skipped; each chunk moves
-- the cursor in the transaction that writes its messages, so a killed worker resumes exactly there.
-- due_at: when the scheduler looks at the campaign next; a claim pushes it ahead by the lease, so a
-- worker that dies gives the campaign back when the lease runs out.
CREATE TABLE campaigns (
  id text PRIMARY KEY,
  app_id text NOT NULL REFERENCES apps (id),
  name text NOT NULL,
  template_id text NOT NULL,
  template_kind text NOT NULL CHECK (template_kind IN ('one_time', 'long_term')),
  data jsonb NOT NULL,                       -- values for every recipient, already checked
  audience jsonb NOT NULL,                   -- {kind: consented|tag|userIds|openids|upload, tag?}
  page text,
  miniprogram_state text,
  lang text,
  fit boolean NOT NULL DEFAULT false,
  rate_per_s double precision CHECK (rate_per_s > 0),
  status text NOT NULL CHECK (status IN ('draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled')),
  idempotency_key text,
  send_at timestamptz,
  recipients integer NOT NULL DEFAULT 0,     -- audience entries (uploaded lines refused included)
  next_seq bigint NOT NULL DEFAULT 0,        -- last seq staged (uploads append after it)
  fanout_cursor bigint NOT NULL DEFAULT 0,
  fanout_done boolean NOT NULL DEFAULT false,
  skipped_by jsonb NOT NULL DEFAULT '{}',    -- {reason: n} for recipients that never became messages
  settled boolean NOT NULL DEFAULT false,    -- completed, or cancelled with nothing left open
  due_at timestamptz,
  leased_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  completed_at timestamptz
);
CREATE UNIQUE INDEX campaigns_idempotency ON campaigns (app_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX campaigns_app_created ON campaigns (app_id, created_at DESC, id DESC);
CREATE INDEX campaigns_due ON campaigns (due_at) WHERE NOT settled AND status IN ('scheduled', 'running', 'cancelled');

-- The audience, expanded (INSERT … SELECT) or uploaded, in order. user_id NULL: nobody of that
-- openid/userId (skipped: unknown_recipient). A user listed twice is skipped the second time
-- (duplicate) when the fan-out reaches it.
CREATE TABLE campaign_recipients (
  campaign_id text NOT NULL REFERENCES campaigns (id),
  seq bigint NOT NULL,
  user_id text,
  data jsonb,                                -- per-recipient values (uploads), already checked
  PRIMARY KEY (campaign_id, seq)
);
CREATE INDEX campaign_recipients_user ON campaign_recipients (campaign_id, user_id, seq);

-- A campaign's own send rate (ratePerSecond), a token bucket like rate_limits; the app's limit
-- still applies on top.
CREATE TABLE campaign_rate_buckets (
  campaign_id text PRIMARY KEY REFERENCES campaigns (id),
  rate_per_s double precision NOT NULL CHECK (rate_per_s > 0),
  tokens double precision NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- {reason: n} + {reason: m}: the per-reason counters of skipped_by, zeros dropped.
CREATE FUNCTION wxpush_counts_add(a jsonb, b jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(jsonb_object_agg(k, n), '{}'::jsonb)
    FROM (SELECT k, sum(v::bigint) AS n
            FROM (SELECT key AS k, value AS v FROM jsonb_each_text(a)
                  UNION ALL SELECT key, value FROM jsonb_each_text(b)) x
           GROUP BY k HAVING sum(v::bigint) <> 0) y
$$;

ALTER TABLE messages ADD COLUMN campaign_id text;
-- One message per user per campaign, whatever the audience held.
CREATE UNIQUE INDEX messages_campaign_user ON messages (campaign_id, user_id) WHERE campaign_id IS NOT NULL;
CREATE INDEX messages_campaign_status ON messages (campaign_id, status) WHERE campaign_id IS NOT NULL;
-- Single sends and campaign messages are claimed from separate indexes: single sends first, so a
-- backlog of a million campaign messages never stands in front of an order notification.
DROP INDEX messages_due;
CREATE INDEX messages_due ON messages (run_at) WHERE status IN ('queued', 'scheduled') AND campaign_id IS NULL;
CREATE INDEX messages_campaign_due ON messages (campaign_id, run_at)
  WHERE status IN ('queued', 'scheduled') AND campaign_id IS NOT NULL;
