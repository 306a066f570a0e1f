-- WeChat message push (the callback receiver): per-app configuration, the durable event inbox,
-- and the customer-service window.

-- What the mini program's "消息推送配置" says. Token and EncodingAESKey are sealed with
-- WXPUSH_MASTER_KEY: either one lets its holder forge pushes.
CREATE TABLE callback_configs (
  app_id text PRIMARY KEY REFERENCES apps (id),
  token_enc text NOT NULL,
  encoding_aes_key_enc text,                 -- required for compatible and secure modes
  mode text NOT NULL CHECK (mode IN ('plain', 'compatible', 'secure')),
  format text NOT NULL CHECK (format IN ('json', 'xml')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every verified push, written before the answer goes back to WeChat (the durable ack), then
-- processed by a worker. WeChat retries a push up to 3 times: (app_id, dedupe_key) keeps one row.
--   pending  not yet acted on; run_at = when it may be claimed (a claim pushes it by the lease, so a
--            worker that dies returns its rows when the lease runs out)
--   done     acted on (processed_at set in the same transaction as the effects)
--   failed   given up after too many attempts (error says why); kept for inspection
-- ordered: popup and change events of one user are acted on in arrival order (the ledger depends
-- on it); other events run in any order.
CREATE TABLE callback_events (
  id bigserial PRIMARY KEY,
  app_id text NOT NULL REFERENCES apps (id),
  dedupe_key text NOT NULL,
  event_type text NOT NULL,                  -- subscribe_msg_popup_event, …, user_message, unknown
  openid text NOT NULL DEFAULT '',
  create_time bigint NOT NULL DEFAULT 0,     -- WeChat's CreateTime, seconds
  format text NOT NULL CHECK (format IN ('json', 'xml')),
  body text NOT NULL,                        -- the (decrypted) message exactly as WeChat sent it
  payload jsonb NOT NULL,                    -- the typed event (@wxpush/wechat toCallbackEvent)
  ordered boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  error text,
  run_at timestamptz NOT NULL DEFAULT now(),
  received_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz,
  UNIQUE (app_id, dedupe_key)
);
CREATE INDEX callback_events_due ON callback_events (run_at, id) WHERE status = 'pending';
CREATE INDEX callback_events_user_pending ON callback_events (app_id, openid, id)
  WHERE status = 'pending' AND ordered;
CREATE INDEX callback_events_app_received ON callback_events (app_id, id DESC);

-- The customer-service window opens with the user's last message (5 messages within 48 hours) or
-- with entering the session (2 within 1 minute): the times WeChat told us, per user.
CREATE TABLE customer_service_windows (
  user_id text PRIMARY KEY REFERENCES users (id),
  app_id text NOT NULL REFERENCES apps (id),
  last_message_at timestamptz,
  last_session_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- subscribe_msg_sent_event names the message by WeChat's msgid.
CREATE INDEX messages_wechat_msgid ON messages (app_id, wechat_msgid) WHERE wechat_msgid IS NOT NULL;
