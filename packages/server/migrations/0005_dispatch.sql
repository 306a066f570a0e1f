-- Dispatch: the per-app rate limit shared by every process, and signed webhooks delivered through
-- an outbox of their own (same claim protocol as messages).

-- A token bucket per app: `tokens` as of `updated_at`, refilled at `rate_per_s` up to `burst`.
CREATE TABLE rate_limits (
  app_id text PRIMARY KEY REFERENCES apps (id),
  rate_per_s double precision NOT NULL CHECK (rate_per_s > 0),
  burst double precision NOT NULL CHECK (burst >= 1),
  tokens double precision NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE webhooks (
  app_id text PRIMARY KEY REFERENCES apps (id),
  url text NOT NULL,
  secret_enc text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_deliveries (
  id text PRIMARY KEY,
  app_id text NOT NULL REFERENCES apps (id),
  message_id text NOT NULL,
  payload jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('queued', 'sending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  last_status integer,
  last_error text,
  run_at timestamptz NOT NULL DEFAULT now(),
  lease_until timestamptz,
  leased_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (run_at) WHERE status IN ('queued', 'sending');
CREATE INDEX webhook_deliveries_message ON webhook_deliveries (message_id);
