-- A listing's payments by listing: the listing view (every GET of a listing) and moderation's lock
-- of the refundable payments. payment_one_open covers only the open ones, so both scanned the
-- whole payment table. IF NOT EXISTS: on a large table ops build it first, concurrently
-- (deploy/README.md, "Database migrations").
CREATE INDEX IF NOT EXISTS payment_listing ON payment (listing_id, created_at);
