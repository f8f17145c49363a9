-- Data minimisation: raw Stripe payloads carry billing names, emails and card details. After
-- webhook.retention.raw-payload (30 days) the redaction job keeps only what the suite needs
-- (ids, amounts, currency, status, metadata) and marks the row.
ALTER TABLE webhook_event ADD COLUMN redacted_at timestamptz;
CREATE INDEX webhook_event_unredacted ON webhook_event (received_at) WHERE redacted_at IS NULL;
