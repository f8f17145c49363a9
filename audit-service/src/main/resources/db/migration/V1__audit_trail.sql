-- The audit trail: append-only, hash-chained, partitioned by month of recording.
-- Functions pin their search_path to the schema they were created in (the service's schema).

-- Refuses any change to audit entries: UPDATE, DELETE (per row and per statement) and TRUNCATE.
-- Retention removes whole partitions with DROP TABLE, which is the only sanctioned removal.
CREATE FUNCTION refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TABLE audit_entry (
    seq               bigint      NOT NULL,  -- gapless position in the hash chain
    id                uuid        NOT NULL,  -- the event id (idempotency key of intake)
    recorded_at       timestamptz NOT NULL,  -- database clock at sealing; the partition key
    occurred_at       timestamptz NOT NULL,  -- sender's clock
    received_from     text        NOT NULL,  -- JWT subject of the sender
    service           text        NOT NULL,
    action            text        NOT NULL,
    outcome           text        NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
    actor_type        text,
    actor_id          text,
    listing_id        text,
    payment_intent_id text,
    refund_id         text,
    amount            bigint CHECK (amount >= 0),  -- minor units
    currency          text,
    request_id        text,
    source_ip         text,
    details           jsonb,
    prev_hash         bytea       NOT NULL,
    hash              bytea       NOT NULL,
    PRIMARY KEY (seq, recorded_at)
) PARTITION BY RANGE (recorded_at);

CREATE INDEX audit_entry_occurred ON audit_entry (occurred_at);
CREATE INDEX audit_entry_listing ON audit_entry (listing_id, occurred_at) WHERE listing_id IS NOT NULL;
CREATE INDEX audit_entry_intent ON audit_entry (payment_intent_id, occurred_at) WHERE payment_intent_id IS NOT NULL;
CREATE INDEX audit_entry_refund ON audit_entry (refund_id) WHERE refund_id IS NOT NULL;
CREATE INDEX audit_entry_actor ON audit_entry (actor_id, occurred_at) WHERE actor_id IS NOT NULL;
CREATE INDEX audit_entry_action ON audit_entry (action, occurred_at);

CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER audit_entry_append_only_statement BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
-- Second line: the service's own role may only read and insert.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_entry FROM PUBLIC, CURRENT_USER;

-- Creates the partition of one month (UTC) if missing, with the same protection as the parent
-- (row triggers are cloned by Postgres; statement and TRUNCATE triggers and privileges are not).
CREATE FUNCTION ensure_month_partition(month_start date) RETURNS text
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    month_first timestamp := date_trunc('month', month_start::timestamp);
    part_name   text := 'audit_entry_p' || to_char(month_first, 'YYYYMM');
BEGIN
    -- Replicas starting together must not race on CREATE TABLE.
    PERFORM pg_advisory_xact_lock(hashtext('audit.partitions'));
    IF to_regclass(part_name) IS NULL THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF audit_entry FOR VALUES FROM (%L) TO (%L)', part_name,
                       month_first AT TIME ZONE 'UTC', (month_first + interval '1 month') AT TIME ZONE 'UTC');
        EXECUTE format('CREATE TRIGGER audit_entry_append_only_statement BEFORE UPDATE OR DELETE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()', part_name);
        EXECUTE format('CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()', part_name);
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %I FROM PUBLIC, CURRENT_USER', part_name);
    END IF;
    RETURN part_name;
END $$;

-- The current month (UTC) and the next months_ahead months.
CREATE FUNCTION ensure_partitions(months_ahead integer) RETURNS integer
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    this_month date := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
BEGIN
    FOR i IN 0..months_ahead LOOP
        PERFORM ensure_month_partition((this_month + make_interval(months => i))::date);
    END LOOP;
    RETURN months_ahead + 1;
END $$;

SELECT ensure_partitions(3);

-- The newest link of the chain, read and advanced under the sealing lock. pruned_through_* is the
-- last entry removed by retention: the first retained entry must link to it.
CREATE TABLE chain_head (
    id                  smallint PRIMARY KEY CHECK (id = 1),
    last_seq            bigint NOT NULL,
    last_hash           bytea  NOT NULL,
    pruned_through_seq  bigint NOT NULL,
    pruned_through_hash bytea  NOT NULL
);
INSERT INTO chain_head VALUES (1, 0, decode(repeat('00', 32), 'hex'), 0, decode(repeat('00', 32), 'hex'));

-- Event ids already stored: a unique constraint on the partitioned table would have to include
-- the partition key, so idempotency lives here. Retention deletes ids of dropped partitions.
CREATE TABLE audit_event_key (
    event_id    uuid PRIMARY KEY,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_event_key_recorded ON audit_event_key (recorded_at);

-- Suspicious-activity findings, one per rule, subject and window.
CREATE TABLE finding (
    id           uuid PRIMARY KEY,
    rule         text        NOT NULL,
    subject      text        NOT NULL,
    window_start timestamptz NOT NULL,
    window_end   timestamptz NOT NULL,
    bucket_start timestamptz NOT NULL,
    observed     bigint      NOT NULL,
    total        bigint,
    threshold    bigint      NOT NULL,
    detected_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (rule, subject, bucket_start)
);
CREATE INDEX finding_detected ON finding (detected_at);
