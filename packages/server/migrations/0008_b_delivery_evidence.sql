-- Exactly once where WeChat allows it: a send whose outcome is unknown (-1, a timeout or reset after the
-- request was written, 5xx) waits for WeChat's subscribe_msg_sent_event when the app receives callbacks.
-- awaiting_evidence_since is set while it waits (status 'queued', run_at = the end of the window); an
-- event naming the same user and template settles it as sent; the window running out retries it.
ALTER TABLE messages ADD COLUMN awaiting_evidence_since timestamptz;
CREATE INDEX messages_awaiting_evidence ON messages (app_id, openid, template_id, awaiting_evidence_since)
  WHERE awaiting_evidence_since IS NOT NULL;
