-- The stored events of a PaymentIntent or charge (the payment doctor, once per payment it examines):
-- event rows are kept indefinitely (docs/data-retention.md), so without an index every examination
-- scanned them all. It costs one more index entry per stored event on the intake's statement.
-- IF NOT EXISTS: on a large table ops build it first, concurrently (deploy/README.md, "Database
-- migrations"); a plain CREATE INDEX holds the intake's inserts for the length of the build.
CREATE INDEX IF NOT EXISTS webhook_event_object ON webhook_event (object_id);
