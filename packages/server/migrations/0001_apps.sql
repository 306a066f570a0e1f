-- Mini program apps, their API keys and the shared access_token.
-- Secrets are stored encrypted with WXPUSH_MASTER_KEY (AES-256-GCM, see src/apps/apps.secrets.ts).

CREATE TABLE apps (
  id text PRIMARY KEY,                       -- the WeChat appid
  name text NOT NULL,
  secret_enc text NOT NULL,
  token_mode text NOT NULL DEFAULT 'stable' CHECK (token_mode IN ('stable', 'classic')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
  id text PRIMARY KEY,
  app_id text NOT NULL REFERENCES apps (id),
  key_hash text NOT NULL UNIQUE,             -- sha256 of the key; the key itself is shown once
  prefix text NOT NULL,                      -- first characters, to recognise a key in lists
  scope text NOT NULL DEFAULT 'app' CHECK (scope IN ('app', 'admin')),
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  last_used_at timestamptz
);

-- One row per app. A process that finds the token stale takes the refresh lease
-- (refreshing_until) with a conditional UPDATE; everyone else waits for the row to change.
-- A lease rather than an advisory lock: no connection is held while WeChat answers, which
-- matters on PGlite's single connection.
CREATE TABLE access_tokens (
  app_id text PRIMARY KEY REFERENCES apps (id),
  token_enc text,
  token_hash text,                           -- sha256, to tell "the token that failed" without decrypting
  expires_at timestamptz,
  fetched_at timestamptz,
  refreshing_until timestamptz,
  refreshes integer NOT NULL DEFAULT 0
);
