-- Wakes this schema's outbox relay as soon as a message is committed (it LISTENs on
-- outbox_<schema>: one service's writes never wake another's relay); the relay's poll stays the
-- fallback. Repeatable, so every service's Flyway applies it to its own schema after the versioned
-- migrations, whatever their numbers; written to be run again (CREATE OR REPLACE).
--
-- A NOTIFY serializes the commits of the transactions that send one (Postgres takes a
-- database-wide lock for it, held through the commit's WAL flush): on every insert it cut a plain
-- INSERT's throughput 4-6x at 8-64 clients. So one writer at a time notifies and the others do not
-- wait: a transaction that finds the lock taken commits without notifying. Its row is seen by the
-- claim that the notifying transaction's commit wakes when it committed first, or else by the next
-- writer's notification or the poll.
CREATE OR REPLACE FUNCTION outbox_message_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF pg_try_advisory_xact_lock(hashtext('outbox_notify'), hashtext(TG_TABLE_SCHEMA)) THEN
        PERFORM pg_notify('outbox_' || TG_TABLE_SCHEMA, '');
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER outbox_message_notify AFTER INSERT ON outbox_message
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_message_notify();
