-- How many events have been marked processed. ProcessingTracker adds each round's count in the same
-- transaction as the marks, so the events-by-status gauge reads one row every few seconds instead
-- of counting a table that only grows.
CREATE TABLE webhook_event_tally (
    id        smallint PRIMARY KEY CHECK (id = 1),
    processed bigint   NOT NULL CHECK (processed >= 0)
);
INSERT INTO webhook_event_tally (id, processed)
SELECT 1, count(*) FROM webhook_event WHERE processed_at IS NOT NULL;
