-- WeChat refused the app's credentials on a token endpoint (40001 / 40125 / 40243: a wrong or frozen
-- AppSecret). Retrying only burns the endpoint's daily quota, so the provider stops asking until the
-- secret changes: it compares the sha256 of the current secret with the refused one.
ALTER TABLE access_tokens ADD COLUMN refused_secret_hash text;
ALTER TABLE access_tokens ADD COLUMN refused_errcode integer;
ALTER TABLE access_tokens ADD COLUMN refused_at timestamptz;
