-- The template registry and the consent ledger.

CREATE TABLE templates (
  app_id text NOT NULL REFERENCES apps (id),
  id text NOT NULL,                          -- WeChat's priTmplId
  alias text,                                -- a stable name chosen by the team ('order_shipped')
  title text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('one_time', 'long_term')),
  content text NOT NULL,
  example text NOT NULL DEFAULT '',
  keywords jsonb NOT NULL,                   -- [{key, type, name, enumValues?}]
  synced_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  PRIMARY KEY (app_id, id),
  UNIQUE (app_id, alias)
);

-- credits: one-time sends still available (reserved ones already subtracted).
-- status: the user's last answer for this template.
CREATE TABLE consents (
  app_id text NOT NULL REFERENCES apps (id),
  user_id text NOT NULL REFERENCES users (id),
  template_id text NOT NULL,
  credits integer NOT NULL DEFAULT 0 CHECK (credits >= 0),
  status text NOT NULL CHECK (status IN ('accept', 'reject', 'ban', 'filter', 'off')),
  source text NOT NULL CHECK (source IN ('miniprogram', 'wechat')),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, template_id)
);

-- Every change to the ledger, kept: what the mini program reported, what WeChat confirmed,
-- and each reserve / consume / release / zero done for a message.
CREATE TABLE consent_events (
  id bigserial PRIMARY KEY,
  app_id text NOT NULL,
  user_id text NOT NULL,
  template_id text NOT NULL,
  action text NOT NULL,
  source text NOT NULL,
  delta integer NOT NULL DEFAULT 0,
  message_id text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consent_events_user ON consent_events (user_id, template_id, id);
