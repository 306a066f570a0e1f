-- The official-account bridge (docs/channels.md): an app may link one official account of the same
-- owner. Its AppSecret and its message-push Token are sealed with WXPUSH_MASTER_KEY like the app's own
-- secret. Its followers are read from WeChat (user/get + user/info/batchget) and kept by unionid, the
-- one id a mini-program user and an official-account follower share.
CREATE TABLE official_accounts (
  app_id text PRIMARY KEY REFERENCES apps (id),
  oa_appid text NOT NULL,
  secret_enc text NOT NULL,
  token_enc text NOT NULL,
  followers_synced_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per unionid the linked account has seen: `following` as of `checked_at` (a follower who left
-- stays with following = false). The openid is the account's own, the `touser` of its messages.
CREATE TABLE official_account_followers (
  app_id text NOT NULL REFERENCES apps (id),
  unionid text NOT NULL,
  openid text NOT NULL,
  following boolean NOT NULL,
  checked_at timestamptz NOT NULL,
  PRIMARY KEY (app_id, unionid)
);
