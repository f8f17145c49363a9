// The alternative a user would write (issue 14): Express + stripe-node + pg, one process.
// Verifies the Stripe signature, stores the event once (INSERT ... ON CONFLICT DO NOTHING), answers 2xx.
// Env: PORT, WEBHOOK_SECRET, PGHOST/PGPORT/PGUSER/PGDATABASE (libpq style), TABLE, POOL (20).
const express = require('express');
const Stripe = require('stripe');
const { Pool } = require('pg');

const stripe = new Stripe('sk_test_unused');
const secret = process.env.WEBHOOK_SECRET;
const table = process.env.TABLE || 'public.bench_node_event';
const pool = new Pool({ max: Number(process.env.POOL || 20) });
const insert = `INSERT INTO ${table} (event_id, type, object_id, created, livemode, payload, source, destination, message_id)
  VALUES ($1, $2, $3, to_timestamp($4), $5, $6, 'delivery', 'refund', gen_random_uuid()) ON CONFLICT (event_id) DO NOTHING`;

const app = express();
app.post('/webhooks/stripe', express.raw({ type: '*/*' }), async (req, res) => {
  let event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], secret);
  } catch (err) {
    return res.status(400).send('bad signature');
  }
  try {
    await pool.query({ name: 'insert-event', text: insert, values: [event.id, event.type,
      event.data && event.data.object && event.data.object.id, event.created, event.livemode, req.body.toString('utf8')] });
    res.status(200).send('ok');
  } catch (err) {
    res.status(500).send('store failed');
  }
});
app.get('/health', (req, res) => res.send('ok'));
app.listen(Number(process.env.PORT || 3000), '127.0.0.1');
