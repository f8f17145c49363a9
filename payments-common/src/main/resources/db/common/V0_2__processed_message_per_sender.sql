-- Message ids are only trusted per sender (issue 12): a receiver remembers (sender, message_id), so
-- an id one sender claims never suppresses another sender's message. Ids remembered before this
-- change have no known sender; they keep the sender 'legacy' and still count as seen for anyone
-- (InboxGuard), so nothing already applied is applied again.
ALTER TABLE processed_message ADD COLUMN sender text NOT NULL DEFAULT 'legacy';
ALTER TABLE processed_message ALTER COLUMN sender DROP DEFAULT;
ALTER TABLE processed_message DROP CONSTRAINT processed_message_pkey;
ALTER TABLE processed_message ADD PRIMARY KEY (sender, message_id);
CREATE INDEX processed_message_legacy ON processed_message (message_id) WHERE sender = 'legacy';
