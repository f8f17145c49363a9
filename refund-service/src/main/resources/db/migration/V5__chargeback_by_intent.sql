-- The disputed amount of a PaymentIntent (the ledger amounts that amount reconciliation reads, one
-- sub-select per intent, up to 50,000 intents) looked for its chargebacks by scanning the table.
-- IF NOT EXISTS: on a large table ops build it first, concurrently (deploy/README.md).
CREATE INDEX IF NOT EXISTS chargeback_intent ON chargeback (payment_intent_id);
