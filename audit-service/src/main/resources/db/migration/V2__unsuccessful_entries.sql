-- The entries that did not succeed (failure, denied): detection's failure rules read these few
-- instead of every entry of their window (checkout failures over 10 minutes, webhook failures over an
-- hour). A partitioned table: each partition, present and future, gets its own index. On a large
-- trail, build each partition's index concurrently first and this only attaches them
-- (deploy/README.md, "Database migrations").
CREATE INDEX IF NOT EXISTS audit_entry_unsuccessful ON audit_entry (occurred_at) WHERE outcome <> 'success';
