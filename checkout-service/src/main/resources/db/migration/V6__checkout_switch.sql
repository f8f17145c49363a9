-- The checkout kill switch (rollback step 1, "stop accepting new payments"): one row, changed
-- only by a super_admin through the admin API (audited). Webhooks, refunds and reconciliation
-- never read it.
CREATE TABLE checkout_switch (
    id         smallint PRIMARY KEY CHECK (id = 1),
    accepting  boolean     NOT NULL,
    reason     text,
    changed_by text,
    changed_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO checkout_switch (id, accepting) VALUES (1, true);
