-- The admin console (/console): operators (people, not API keys), their browser sessions, and the
-- audit list of every send and setting change made through the console.

-- role: admin (everything), operator (send and read), viewer (read only).
-- app_ids: the apps an operator or viewer sees; an admin sees every app.
CREATE TABLE console_operators (
  username text PRIMARY KEY,
  password_hash text NOT NULL,               -- argon2id, PHC string
  role text NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
  app_ids jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The cookie holds a random token; only its SHA-256 is stored. csrf_token is sent back by the
-- browser in the x-csrf-token header on every state-changing call.
CREATE TABLE console_sessions (
  token_hash text PRIMARY KEY,
  username text NOT NULL REFERENCES console_operators (username) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX console_sessions_username ON console_sessions (username);

CREATE TABLE console_audit (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  username text NOT NULL,                    -- kept as text: the list outlives a removed operator
  action text NOT NULL,                      -- message.send, message.cancel, key.issue, …
  app_id text,
  target text,                               -- the message id, key id, template id, …
  detail jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX console_audit_at ON console_audit (at DESC, id DESC);
