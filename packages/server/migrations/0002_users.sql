-- Mini program users (one row per app and openid) and our own login sessions.

CREATE TABLE users (
  id text PRIMARY KEY,
  app_id text NOT NULL REFERENCES apps (id),
  openid text NOT NULL,
  unionid text,
  session_key_enc text,                      -- never returned by any API
  created_at timestamptz NOT NULL DEFAULT now(),
  last_login_at timestamptz,
  UNIQUE (app_id, openid)
);

CREATE TABLE sessions (
  token_hash text PRIMARY KEY,               -- sha256 of the bearer token handed to the mini program
  user_id text NOT NULL REFERENCES users (id),
  app_id text NOT NULL REFERENCES apps (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
