-- refund-service owns no payments: refund_payment is its ledger of what Stripe captured for a
-- payment and how much of it is already spoken for. Every path that can refund a payment locks
-- this row (SELECT ... FOR UPDATE) in the transaction that reserves the amount.
CREATE TABLE refund_payment (
    payment_intent_id   text PRIMARY KEY,
    charge_id           text        NOT NULL,
    user_id             uuid,
    listing_id          uuid,
    payment_id          uuid,
    payment_type        text,
    currency            text        NOT NULL,
    captured            bigint      NOT NULL CHECK (captured >= 0),
    -- amounts of the suite's own requests that are approved, processed, or failed with an unknown outcome
    reserved            bigint      NOT NULL DEFAULT 0,
    -- refunds made at Stripe that the suite did not start (Dashboard)
    refunded_externally bigint      NOT NULL DEFAULT 0 CHECK (refunded_externally >= 0),
    -- disputed amounts: money the card network already took back
    disputed            bigint      NOT NULL DEFAULT 0 CHECK (disputed >= 0),
    paid_at             timestamptz NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CHECK (reserved >= 0 AND reserved <= captured)
);

CREATE TABLE refund_request (
    id                uuid PRIMARY KEY,
    payment_intent_id text        NOT NULL REFERENCES refund_payment (payment_intent_id),
    listing_id        uuid,
    user_id           uuid,
    amount            bigint      NOT NULL CHECK (amount > 0),
    currency          text        NOT NULL,
    reason            text        NOT NULL CHECK (reason IN ('technical_failure', 'moderation_rejection', 'user_request', 'chargeback')),
    origin            text        NOT NULL CHECK (origin IN ('user', 'service', 'stripe')),
    status            text        NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'processed', 'failed')),
    -- true while this request's amount is counted in refund_payment.reserved
    reserved          boolean     NOT NULL DEFAULT false,
    stripe_refund_id  text UNIQUE,
    requested_by      text        NOT NULL,
    request_note      text,
    reviewer          text,
    decision_note     text,
    failure           text,
    stripe_attempts   integer     NOT NULL DEFAULT 0,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    decided_at        timestamptz,
    processed_at      timestamptz
);
CREATE INDEX refund_request_status ON refund_request (status, created_at);
CREATE INDEX refund_request_payment ON refund_request (payment_intent_id);
CREATE INDEX refund_request_user ON refund_request (user_id, created_at);

-- One row per Stripe dispute, whatever the number or order of its events.
CREATE TABLE chargeback (
    dispute_id        text PRIMARY KEY,
    charge_id         text        NOT NULL,
    payment_intent_id text        NOT NULL,
    user_id           uuid,
    amount            bigint      NOT NULL,
    currency          text        NOT NULL,
    status            text        NOT NULL,
    reason            text,
    refund_request_id uuid REFERENCES refund_request (id),
    created_at        timestamptz NOT NULL,
    closed_at         timestamptz
);
CREATE INDEX chargeback_user ON chargeback (user_id);

-- Per user: chargebacks counted and whether this service has banned them. The row is the lock
-- that makes two concurrent disputes of one user count to 2.
CREATE TABLE user_standing (
    user_id     uuid PRIMARY KEY,
    chargebacks integer     NOT NULL DEFAULT 0,
    banned      boolean     NOT NULL DEFAULT false,
    bans        integer     NOT NULL DEFAULT 0,
    banned_at   timestamptz,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
