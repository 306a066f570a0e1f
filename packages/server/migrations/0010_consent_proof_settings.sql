-- Consent reports checked against WeChat's popup events, and the user's subscription settings.

-- A report from the mini program (POST /v1/consents) is a claim; WeChat's subscribe_msg_popup_event
-- is the proof. When the app receives those events, accepts reported beyond what the events
-- confirmed count only until unconfirmed_until (the first unconfirmed report + the confirmation
-- window, WXPUSH_CONSENT_CONFIRM_WINDOW_S; later reports do not move it). After it, credits are
-- counted from the confirmed accepts alone (consents.store CREDITS_LEFT). NULL: nothing is waiting
-- for a confirmation, or the app receives no events (reports are then taken as they come).
ALTER TABLE consents ADD COLUMN unconfirmed_until timestamptz;

-- What wx.getSetting({withSubscriptions: true}) showed in the mini program (reported by the SDK),
-- or what a failed wx.requestSubscribeMessage implied (20004: the main switch is off).
--   main_switch    false: WeChat shows no popup and sends reach nobody; wxpush refuses sends (409)
--   item_settings  the "总是保持以上选择，不再询问" choices: {templateId: "accept" | "reject" | "ban" | …};
--                  "reject" (and "ban") refuse sends of that template; "accept" is shown only: WeChat
--                  still needs one call per one-time send, so credits are still counted per accept.
CREATE TABLE subscription_settings (
  user_id text PRIMARY KEY REFERENCES users (id),
  app_id text NOT NULL REFERENCES apps (id),
  main_switch boolean NOT NULL DEFAULT true,
  item_settings jsonb NOT NULL DEFAULT '{}',
  updated_at timestamptz NOT NULL DEFAULT now()
);
