-- Every verified Stripe event the suite processes, stored once (Stripe delivers at least once).
-- Its dispatch state lives in outbox_message (message_id); processed_at is copied from the outbox
-- once the receiver has taken it, so the processing lag is measured once and the state survives the
-- outbox clean-up of delivered messages.
CREATE TABLE webhook_event (
    event_id     text PRIMARY KEY,
    type         text        NOT NULL,
    object_id    text,
    created      timestamptz NOT NULL,
    livemode     boolean     NOT NULL,
    payload      text        NOT NULL,
    source       text        NOT NULL CHECK (source IN ('delivery', 'reconciliation', 'recovery')),
    destination  text        NOT NULL,
    message_id   uuid        NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    processed_at timestamptz
);
CREATE INDEX webhook_event_received ON webhook_event (received_at);
CREATE INDEX webhook_event_unprocessed ON webhook_event (received_at) WHERE processed_at IS NULL;

-- Reconciliation's progress: all events created before checkpoint have been listed. One row; a
-- run claims it with a lease so two replicas never reconcile at once.
CREATE TABLE reconciliation_checkpoint (
    name        text PRIMARY KEY,
    checkpoint  timestamptz,
    lease_token uuid,
    lease_until timestamptz,
    last_run_at timestamptz,
    last_listed integer,
    last_found  integer
);
INSERT INTO reconciliation_checkpoint (name) VALUES ('stripe_events');
