-- The campaign fan-out writes up to a million rows into campaign_recipients and then into messages
-- (src/campaigns/campaigns.store.ts). Each foreign key there is a trigger run once per row: measured
-- on the bench database (EXPLAIN ANALYZE, bench/campaign-fanout.ts), the two on messages cost more
-- than the INSERT itself (5 000 rows: 370 ms with them, 136 ms without) and the one on
-- campaign_recipients 40 % of staging an audience. The references they guard cannot break: every
-- writer takes app_id, user_id and campaign_id from a row it reads or writes in the same statement
-- or transaction (the user joined, the campaign inserted or locked FOR UPDATE), and no code deletes
-- apps, users or campaigns.
ALTER TABLE campaign_recipients DROP CONSTRAINT campaign_recipients_campaign_id_fkey;
ALTER TABLE messages DROP CONSTRAINT messages_app_id_fkey;
ALTER TABLE messages DROP CONSTRAINT messages_user_id_fkey;
