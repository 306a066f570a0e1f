-- Channels other than subscription messages (docs/channels.md): customer-service messages go through
-- the same outbox, with their content instead of a template; the customer-service window keeps its
-- count and deadline (the rule is @wxpush/wechat openCustomerServiceWindow).

-- 'subscribe' (every row so far), 'customer_service', 'official_account' (the linked account's
-- template message). A customer-service row has no template: template_id '' and template_kind 'none'.
ALTER TABLE messages ADD COLUMN channel text NOT NULL DEFAULT 'subscribe'
  CHECK (channel IN ('subscribe', 'customer_service', 'official_account'));
-- What WeChat gets besides touser: {msgtype, text|image|link|miniprogrampage: {…}}.
ALTER TABLE messages ADD COLUMN content jsonb;
ALTER TABLE messages DROP CONSTRAINT messages_template_kind_check;
ALTER TABLE messages ADD CONSTRAINT messages_template_kind_check
  CHECK (template_kind IN ('one_time', 'long_term', 'none'));
-- The conversation of one user: their customer-service messages, newest first.
CREATE INDEX messages_user_channel ON messages (user_id, channel, created_at DESC) WHERE channel <> 'subscribe';

-- The window as WeChat counts it: `allowance_left` messages until `open_until`. Each pushed user
-- action moves it; each accepted customer-service message takes one.
ALTER TABLE customer_service_windows ADD COLUMN allowance_left integer NOT NULL DEFAULT 0;
ALTER TABLE customer_service_windows ADD COLUMN open_until timestamptz;

-- Images for customer-service messages, uploaded to wxpush once (POST /v1/media) and to WeChat as
-- temporary media when a message needs them: WeChat's media_id lasts 3 days from `uploaded_at`, is
-- reused until shortly before then, and replaced by a new upload after. One row per app and content.
CREATE TABLE media (
  id text PRIMARY KEY,
  app_id text NOT NULL REFERENCES apps (id),
  content_type text NOT NULL,
  bytes bytea NOT NULL,
  size integer NOT NULL,
  sha256 text NOT NULL,
  wechat_media_id text,
  uploaded_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (app_id, sha256)
);
