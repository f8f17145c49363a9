-- Ban and unban messages carry this version so checkout-service can drop one that arrives after a newer one.
ALTER TABLE user_standing ADD COLUMN standing_version bigint NOT NULL DEFAULT 0;
-- Bumped after a definitive Stripe refusal: the next attempt needs a fresh idempotency key, since Stripe
-- replays the stored refusal for the old key for 24 hours.
ALTER TABLE refund_request ADD COLUMN stripe_key_attempt integer NOT NULL DEFAULT 1;
