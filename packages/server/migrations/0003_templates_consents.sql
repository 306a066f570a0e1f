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

-- The two sources of consent are counted apart, because each tap in the popup normally arrives twice:
-- once reported by the mini program (POST /v1/consents) and once confirmed by WeChat's popup event.
--   reported  accepts the mini program reported        confirmed  accepts WeChat's events confirmed
--   used      credits reserved or spent by messages (and written off after a 43101)
-- Credits available for one-time sends = greatest(reported, confirmed) - used: a lost report or a lost
-- event costs nothing, and one tap is never counted twice.
-- status: the user's last answer for this template ('off': switched off in WeChat's settings).
CREATE TABLE consents (
  app_id text NOT NULL REFERENCES apps (id),
  user_id text NOT NULL REFERENCES users (id),
  template_id text NOT NULL,
  reported integer NOT NULL DEFAULT 0 CHECK (reported >= 0),
  confirmed integer NOT NULL DEFAULT 0 CHECK (confirmed >= 0),
  used integer NOT NULL DEFAULT 0 CHECK (used >= 0),
  status text NOT NULL CHECK (status IN ('accept', 'reject', 'ban', 'filter', 'off')),
  source text NOT NULL CHECK (source IN ('miniprogram', 'wechat')),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, template_id),
  CHECK (used <= greatest(reported, confirmed))
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
