-- refund-service numbers its ban/unban messages per user (monotonic); the outbox relay does not
-- order deliveries, so the last applied number lets a late, older message be ignored.
-- NULL: no numbered message applied yet (rows from older senders).
ALTER TABLE user_standing ADD COLUMN version bigint CHECK (version >= 0);
