// Browser tests of the operator console against a running suite (scripts/console-e2e.sh starts
// one on its own ports and database, then runs this). Debian's Chromium, headless, driven by
// playwright-core; fixtures are made through the services' public APIs as users would; every
// outcome is checked where it lands (the emulator, the owning service), not only on the page.
// Each test saves a screenshot under ops-console/target/e2e/.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';

const env = process.env;
const REPO = resolve(env.REPO_ROOT ?? '../../../..');
const CONSOLE = env.CONSOLE_URL;
const CO = env.CHECKOUT_URL, WH = env.WEBHOOK_URL, RF = env.REFUND_URL, AU = env.AUDIT_URL, EM = env.EMULATOR_URL;
const SHOTS = join(REPO, 'ops-console/target/e2e');
const OPERATOR = 'ops.e2e';
mkdirSync(SHOTS, { recursive: true });

const mint = (sub, group) => execFileSync(join(REPO, 'scripts/mint-token.sh'), [sub, group], { encoding: 'utf8' }).trim();
const admin = mint('e2e-fixtures', 'super_admin');

async function call(method, url, token, body) {
  const res = await fetch(url, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} -> ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}
const stripe = (path) => call('GET', EM + path, 'sk_test_local_emulator');
async function until(what, fn, seconds = 40) {
  const deadline = Date.now() + seconds * 1000;
  let last;
  for (;;) {
    try { const v = await fn(); if (v) return v; } catch (e) { last = e; }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ': ' + last.message : ''}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

// Fixtures: a user with a paid listing, as in scripts/demo-flow.sh.
const categories = await call('GET', `${CO}/api/marketplace/categories`, mint(randomUUID(), 'user'));
const category = (name) => categories.find((c) => c.name === name).id;
async function paidListing(token, categoryName, title) {
  const listing = await call('POST', `${CO}/api/marketplace/listings`, token, { categoryId: category(categoryName), title });
  const { paymentIntentId } = await call('POST', `${CO}/api/marketplace/listings/${listing.id}/checkout`, token, {});
  await call('POST', `${EM}/_emulator/payment_intents/${paymentIntentId}/pay`, null, { card: 'success' });
  await until(`listing ${listing.id} active`, async () => (await call('GET', `${CO}/api/marketplace/listings/${listing.id}`, token)).status === 'active');
  return { id: listing.id, pi: paymentIntentId };
}

const results = [];
let page;
async function test(name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}: ${e.stack ?? e}`);
  } finally {
    if (page) await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true }).catch(() => {});
  }
}
async function expectText(locator, text) {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: 15000 });
}

const profile = mkdtempSync(join(tmpdir(), 'console-e2e-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1400, height: 900 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
page = context.pages()[0] ?? (await context.newPage());
page.on('dialog', (d) => d.accept());
page.setDefaultTimeout(20000);

const alice = randomUUID(), bob = randomUUID();
const tokAlice = mint(alice, 'user'), tokBob = mint(bob, 'user');

try {
  await test('01-login', async () => {
    await page.goto(CONSOLE + '/');
    await page.waitForURL(/\/login$/);
    await page.fill('#operator', OPERATOR);
    await page.click('button[type=submit]');
    await page.waitForURL(CONSOLE + '/');
    await expectText(page.locator('[data-testid=operator]'), OPERATOR);
    await expectText(page.locator('[data-testid=services]'), 'refund-service');
  });

  // Alice: a paid Housing listing and a paid featured promotion; a refund request for each.
  const listing = await paidListing(tokAlice, 'Housing', 'Console e2e room');
  const promo = await call('POST', `${CO}/api/marketplace/listings/${listing.id}/promote`, tokAlice, { type: 'featured' });
  await call('POST', `${EM}/_emulator/payment_intents/${promo.paymentIntentId}/pay`, null, { card: 'success' });
  await until('promotion active', async () => (await call('GET', `${CO}/api/marketplace/listings/${listing.id}`, tokAlice)).featuredUntil);
  const toApprove = await call('POST', `${RF}/api/marketplace/refunds`, tokAlice, { paymentIntentId: promo.paymentIntentId, note: 'bought by mistake' });
  const toReject = await call('POST', `${RF}/api/marketplace/refunds`, tokAlice, { paymentIntentId: listing.pi, note: 'changed my mind' });

  await test('02-approve-refund', async () => {
    await page.goto(CONSOLE + '/refunds?status=pending');
    const row = page.locator(`tr[data-refund="${toApprove.id}"]`);
    await row.waitFor();
    await row.locator('input[name=note]').first().fill('goodwill');
    await row.getByRole('button', { name: 'Approve' }).click();
    await expectText(page.locator('.msg'), 'approved');
    // Processed at the emulator (Stripe) and in refund-service, decided by the operator.
    await until('refund at the emulator', async () => (await stripe(`/v1/refunds?payment_intent=${promo.paymentIntentId}`)).data.length === 1);
    const view = await until('refund processed', async () => {
      const r = await call('GET', `${RF}/admin/api/marketplace/refunds/${toApprove.id}`, admin);
      return r.status === 'processed' && r;
    });
    if (view.reviewer !== OPERATOR) throw new Error(`reviewer is ${view.reviewer}, not the operator`);
    await page.goto(`${CONSOLE}/refunds/${toApprove.id}`);
    await expectText(page.locator('h1'), 'processed');
  });

  await test('03-reject-refund', async () => {
    await page.goto(CONSOLE + '/refunds?status=pending');
    const row = page.locator(`tr[data-refund="${toReject.id}"]`);
    await row.waitFor();
    await row.locator('input[name=note]').nth(1).fill('posting fee is not refundable once the listing ran');
    await row.getByRole('button', { name: 'Reject' }).click();
    await expectText(page.locator('.msg'), 'rejected');
    const r = await call('GET', `${RF}/admin/api/marketplace/refunds/${toReject.id}`, admin);
    if (r.status !== 'rejected' || !r.decisionNote.includes('not refundable') || r.reviewer !== OPERATOR) {
      throw new Error(`refund-service has ${JSON.stringify(r)}`);
    }
    if ((await stripe(`/v1/refunds?payment_intent=${listing.pi}`)).data.length !== 0) throw new Error('a rejected refund reached Stripe');
  });

  await test('04-retry-dead-message', async () => {
    // audit-service goes away; checkout-service (short retry window in this run) dead-letters its audit events.
    const suite = (...a) => execFileSync(join(REPO, 'scripts/suite-start.sh'), a, { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
    suite('stop', 'audit');
    let dead;
    try {
      await paidListing(mint(randomUUID(), 'user'), 'Housing', 'while audit is down');
      dead = await until('a dead message to audit', async () => {
        const rows = await call('GET', `${CO}/admin/api/outbox/dead`, admin);
        return rows.filter((m) => m.destination === 'audit');
      }, 60);
    } finally {
      suite('start-one', 'audit'); // the receiver is back
    }
    // Retry from the page until checkout-service has no dead message left (messages still in
    // flight when audit-service went away may go dead after the first look; retry those too).
    const retried = new Set();
    await until('every dead message retried and delivered', async () => {
      await page.goto(CONSOLE + '/outbox');
      const rows = page.locator('[data-testid=dead-checkout] tbody tr[data-message]');
      if ((await rows.count()) === 0) {
        const left = await call('GET', `${CO}/admin/api/outbox/dead`, admin);
        return left.length === 0;
      }
      retried.add(await rows.first().getAttribute('data-message'));
      await rows.first().getByRole('button', { name: 'Retry' }).click();
      await expectText(page.locator('.msg'), 'queued again');
      return false;
    }, 90);
    if (!dead.every((m) => retried.has(m.id))) throw new Error('a dead message was not retried from the page');
    await page.goto(CONSOLE + '/outbox');
    await expectText(page.locator('[data-testid=dead-checkout]'), 'No dead messages');
  });

  await test('05-replay-webhook', async () => {
    await page.goto(`${CONSOLE}/webhooks?status=processed&type=payment_intent.succeeded`);
    const row = page.locator('[data-testid=events] tbody tr[data-event]').first();
    const id = await row.getAttribute('data-event');
    await row.getByRole('button', { name: 'Replay' }).click();
    await expectText(page.locator('.msg'), `Event ${id} replayed`);
    const trail = await until('the replay in the audit trail', async () => {
      const page = await call('GET', `${AU}/admin/api/audit/entries?actorId=${OPERATOR}&size=100`, admin);
      return page.entries.find((e) => e.action.includes('replay'));
    });
    if (!trail) throw new Error('no replay entry');
  });

  await test('06-payment-doctor', async () => {
    await page.goto(CONSOLE + '/doctor');
    await page.fill('input[name=subject]', listing.pi);
    await page.press('input[name=subject]', 'Enter');
    const card = page.locator('[data-testid=doctor-case]');
    await expectText(card, listing.pi);
    await expectText(card, 'succeeded');
    await expectText(page.locator('[data-testid=doctor-summary]'), 'payment(s)');
  });

  await test('07-audit-trail-and-chain', async () => {
    await page.goto(`${CONSOLE}/audit?kind=listing&id=${listing.id}`);
    await expectText(page.locator('[data-testid=trail]'), 'refund.processed');
    const csv = await page.request.get(`${CONSOLE}/audit/export.csv?kind=listing&id=${listing.id}`);
    if (!csv.ok() || !(await csv.text()).includes('refund.processed')) throw new Error('CSV export lacks the refund');
    await page.goto(CONSOLE + '/audit/verify');
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await expectText(page.locator('[data-testid=verification]'), 'intact');
  });

  // Bob: two paid listings, both charges disputed -> banned (refund-service counts chargebacks).
  const jobs = await paidListing(tokBob, 'Jobs', 'Barista wanted');
  const car = await paidListing(tokBob, 'Cars & Trucks', 'Old but reliable');
  for (const p of [jobs.pi, car.pi]) {
    const intent = await stripe(`/v1/payment_intents/${p}`);
    await call('POST', `${EM}/_emulator/charges/${intent.latest_charge}/dispute`, null, { reason: 'fraudulent' });
  }
  await until('bob banned', async () => (await call('GET', `${RF}/admin/api/users/${bob}/standing`, admin)).banned);

  await test('08-lift-ban', async () => {
    await page.goto(`${CONSOLE}/users?id=${bob}`);
    await expectText(page.locator('[data-testid=standing]'), 'banned');
    await page.fill('#unban-reason', 'disputes were friendly fraud by a family member; customer verified');
    await page.getByRole('button', { name: 'Lift ban' }).click();
    await expectText(page.locator('.msg'), 'unbanned');
    await expectText(page.locator('[data-testid=standing]'), 'in good standing');
    if ((await call('GET', `${RF}/admin/api/users/${bob}/standing`, admin)).banned) throw new Error('still banned in refund-service');
    // checkout-service hears of it through refund-service's outbox: Bob can post again.
    await until('bob can create a listing', async () => {
      const res = await fetch(`${CO}/api/marketplace/listings`, { method: 'POST',
        headers: { Authorization: `Bearer ${tokBob}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ categoryId: category('Housing'), title: 'back again' }) });
      return res.status === 201 || res.status === 200;
    });
  });

  await test('09-ops-overview', async () => {
    await page.goto(CONSOLE + '/');
    await expectText(page.locator('[data-testid=services]'), 'up');
    await expectText(page.locator('[data-testid=kill-switch]'), 'accepting payments');
    await page.screenshot({ path: join(SHOTS, 'ops-console.png') });
  });
  await test('10-keyboard', async () => {
    // No mouse: "g r" opens the refund review, "/" focuses its filter, Tab reaches the skip link first.
    await page.goto(CONSOLE + '/');
    await page.keyboard.press('g');
    await page.keyboard.press('r');
    await page.waitForURL(/\/refunds$/);
    await page.keyboard.press('/');
    if (await page.evaluate(() => document.activeElement?.getAttribute('name')) !== 'status') throw new Error('"/" did not focus the filter');
    await page.goto(CONSOLE + '/refunds?status=processed');
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.textContent) !== 'Skip to content') throw new Error('first Tab stop is not the skip link');
  });
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}

const failed = results.filter((r) => !r.ok);
console.log(`\nconsole e2e: ${results.length - failed.length} passed, ${failed.length} failed; screenshots in ${SHOTS}`);
process.exit(failed.length ? 1 : 0);
