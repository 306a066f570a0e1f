-- Each (timestamp, nonce) a push was signed with, for the timestamp window: WeChat retries a push
-- with the same query and body, so a second, different body under a seen pair is a forgery (the URL
-- signature covers only token, timestamp and nonce, not the body). Rows older than the window are
-- deleted by the receiver.
CREATE TABLE callback_nonces (
  app_id text NOT NULL,
  ts text NOT NULL,
  nonce text NOT NULL,
  body_hash text NOT NULL,                   -- sha256 of the body as received, hex
  seen_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (app_id, ts, nonce)
);
CREATE INDEX callback_nonces_seen_at ON callback_nonces (seen_at);
