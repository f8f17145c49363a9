-- checkout-service owns categories and their posting fees, listings, payments (one row per
-- PaymentIntent), promotions, user standing and the client idempotency keys. Money: bigint minor
-- units plus a lowercase ISO currency.

CREATE TABLE category (
    id          uuid PRIMARY KEY,
    slug        text   NOT NULL UNIQUE,
    name        text   NOT NULL UNIQUE,
    posting_fee bigint NOT NULL CHECK (posting_fee >= 0),
    currency    text   NOT NULL DEFAULT 'usd' CHECK (currency ~ '^[a-z]{3}$'),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Fixed ids: PaymentIntent metadata carries category_id, so they must be the same everywhere.
INSERT INTO category (id, slug, name, posting_fee) VALUES
    ('6c1d0a6e-0001-4000-8000-000000000001', 'housing',        'Housing',         500),
    ('6c1d0a6e-0002-4000-8000-000000000002', 'jobs',           'Jobs',           1000),
    ('6c1d0a6e-0003-4000-8000-000000000003', 'cars-trucks',    'Cars & Trucks',   500),
    ('6c1d0a6e-0004-4000-8000-000000000004', 'motorcycles',    'Motorcycles',     300),
    ('6c1d0a6e-0005-4000-8000-000000000005', 'rvs-campers',    'RVs & Campers',   500),
    ('6c1d0a6e-0006-4000-8000-000000000006', 'boats',          'Boats',           500),
    ('6c1d0a6e-0007-4000-8000-000000000007', 'for-sale',       'For Sale',          0),
    ('6c1d0a6e-0008-4000-8000-000000000008', 'services',       'Services',          0),
    ('6c1d0a6e-0009-4000-8000-000000000009', 'community',      'Community',         0);

CREATE TABLE user_standing (
    user_id     uuid PRIMARY KEY,
    banned      boolean NOT NULL,
    reason      text,
    chargebacks integer NOT NULL DEFAULT 0,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE listing (
    id                      uuid PRIMARY KEY,
    owner_id                uuid NOT NULL,
    category_id             uuid NOT NULL REFERENCES category (id),
    title                   text NOT NULL,
    status                  text NOT NULL CHECK (status IN ('draft', 'pending_payment', 'active', 'expired', 'rejected', 'removed')),
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    activated_at            timestamptz,
    expires_at              timestamptz,
    last_bumped_at          timestamptz,
    featured_until          timestamptz,
    -- A posting fee activates a listing once: the same payment can never activate two listings.
    activated_by_payment_id uuid UNIQUE
);
CREATE INDEX listing_owner ON listing (owner_id);
CREATE INDEX listing_expiry ON listing (expires_at) WHERE status = 'active';

CREATE TABLE payment (
    id                  uuid PRIMARY KEY,
    listing_id          uuid   NOT NULL REFERENCES listing (id),
    user_id             uuid   NOT NULL,
    category_id         uuid   NOT NULL,
    purpose             text   NOT NULL CHECK (purpose IN ('posting_fee', 'promotion_featured', 'promotion_bump')),
    amount              bigint NOT NULL CHECK (amount > 0),
    currency            text   NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
    status              text   NOT NULL CHECK (status IN ('creating', 'requires_payment', 'failed', 'succeeded', 'canceled', 'mismatch')),
    payment_intent_id   text UNIQUE,
    intent_created_at   timestamptz,
    failure_code        text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    succeeded_at        timestamptz,
    refund_requested_at timestamptz,
    refund_reason       text CHECK (refund_reason IN ('moderation_rejection', 'technical_failure'))
);
-- At most one open payment per listing and purpose: concurrent or repeated checkouts share it,
-- and with it the Stripe idempotency key (the payment id), so they share one PaymentIntent.
CREATE UNIQUE INDEX payment_one_open ON payment (listing_id, purpose)
    WHERE status IN ('creating', 'requires_payment', 'failed');
CREATE INDEX payment_user ON payment (user_id);

CREATE TABLE promotion (
    id         uuid PRIMARY KEY,
    listing_id uuid   NOT NULL REFERENCES listing (id),
    -- One promotion per payment: a redelivered or reordered event cannot apply it twice.
    payment_id uuid   NOT NULL UNIQUE REFERENCES payment (id),
    type       text   NOT NULL CHECK (type IN ('featured', 'bump')),
    amount     bigint NOT NULL CHECK (amount > 0),
    currency   text   NOT NULL,
    starts_at  timestamptz NOT NULL,
    expires_at timestamptz,
    status     text   NOT NULL CHECK (status IN ('active', 'expired')),
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (type = 'bump' OR expires_at IS NOT NULL)
);
CREATE INDEX promotion_listing ON promotion (listing_id);
CREATE INDEX promotion_expiry ON promotion (expires_at) WHERE status = 'active' AND type = 'featured';

-- Client Idempotency-Key values, per user: the same key replays the first answer.
CREATE TABLE client_idempotency (
    user_id      uuid NOT NULL,
    idem_key     text NOT NULL,
    request_hash text NOT NULL,
    state        text NOT NULL CHECK (state IN ('in_flight', 'completed')),
    payment_id   uuid,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, idem_key)
);
CREATE INDEX client_idempotency_age ON client_idempotency (created_at);
