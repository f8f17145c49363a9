-- The stuck-refund recovery job claims approved requests by due time, not by age alone: a request
-- whose refund is still pending at Stripe is asked about again later (backing off), so it never
-- hides the ones behind it. NULL = due now.
ALTER TABLE refund_request ADD COLUMN recovery_due_at timestamptz;
ALTER TABLE refund_request ADD COLUMN recovery_checks integer NOT NULL DEFAULT 0;
CREATE INDEX refund_request_recovery ON refund_request (coalesce(recovery_due_at, updated_at)) WHERE status = 'approved';
