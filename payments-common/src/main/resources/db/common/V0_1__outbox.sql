-- Shared by every service, created in that service's own schema.
-- outbox_message: what must reach another service, written in the same transaction as the change.
CREATE TABLE outbox_message (
    id            uuid PRIMARY KEY,
    destination   text        NOT NULL,
    path          text        NOT NULL,
    payload       text        NOT NULL,
    request_id    text,
    status        text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts      integer     NOT NULL DEFAULT 0,
    available_at  timestamptz NOT NULL DEFAULT now(),
    claimed_until timestamptz,
    last_error    text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    delivered_at  timestamptz
);
CREATE INDEX outbox_message_due ON outbox_message (available_at) WHERE status = 'pending';
CREATE INDEX outbox_message_dead ON outbox_message (created_at) WHERE status = 'dead';

-- processed_message: ids of messages this service has applied (receiver-side deduplication).
CREATE TABLE processed_message (
    message_id   text PRIMARY KEY,
    processed_at timestamptz NOT NULL DEFAULT now()
);
