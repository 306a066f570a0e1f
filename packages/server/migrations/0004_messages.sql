-- The outbox is the message table: a row is written in the transaction that reserves the credit.

CREATE TABLE messages (
  id text PRIMARY KEY,
  app_id text NOT NULL REFERENCES apps (id),
  user_id text NOT NULL REFERENCES users (id),
  openid text NOT NULL,
  template_id text NOT NULL,
  template_kind text NOT NULL CHECK (template_kind IN ('one_time', 'long_term')),
  data jsonb NOT NULL,                       -- {key: value}, already validated
  page text,
  miniprogram_state text,
  lang text,
  status text NOT NULL CHECK (status IN ('scheduled', 'queued', 'sending', 'sent', 'delivered', 'failed', 'cancelled')),
  reason text,
  errcode integer,
  errmsg text,
  attempts integer NOT NULL DEFAULT 0,
  uncertain_attempts integer NOT NULL DEFAULT 0,   -- attempts whose outcome WeChat never told us
  credit_reserved boolean NOT NULL DEFAULT false,
  run_at timestamptz NOT NULL DEFAULT now(),
  lease_until timestamptz,
  leased_by text,
  idempotency_key text,
  wechat_msgid text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  delivered_at timestamptz
);
-- Partial: most messages have no key, and a NULL entry would still be written on every insert and
-- on every (non-HOT) status update.
CREATE UNIQUE INDEX messages_idempotency ON messages (app_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
-- The claim query reads due rows in run_at order; terminal rows drop out of this index.
CREATE INDEX messages_due ON messages (run_at) WHERE status IN ('queued', 'scheduled');
-- The lease sweep reads only the rows in flight.
CREATE INDEX messages_leases ON messages (lease_until) WHERE status = 'sending';
CREATE INDEX messages_app_created ON messages (app_id, created_at DESC, id DESC);
CREATE INDEX messages_user ON messages (user_id, created_at DESC);

-- Status changes. The first one of a queued message is implied by its created_at (one row fewer on
-- the hot path); a scheduled message's first row is written.
CREATE TABLE message_events (
  id bigserial PRIMARY KEY,
  message_id text NOT NULL REFERENCES messages (id),
  status text NOT NULL,
  reason text,
  errcode integer,
  detail text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX message_events_message ON message_events (message_id, id);
