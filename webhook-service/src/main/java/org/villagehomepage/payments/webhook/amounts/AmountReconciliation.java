package org.villagehomepage.payments.webhook.amounts;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;
import org.villagehomepage.payments.common.stripe.StripeCalls;
import org.villagehomepage.payments.webhook.WebhookSettings;
import org.villagehomepage.payments.webhook.client.CheckoutClient;
import org.villagehomepage.payments.webhook.stripe.StripeLists;

/**
 * Amount-level reconciliation (monthly "reconcile Stripe and database records"; financial
 * reconciliation of the deployment checklist). For the charges Stripe made in a period of UTC days:
 * captured and refunded from each charge, disputed from Stripe's disputes, against checkout's
 * captured payments and the refund ledger (refunds, chargebacks). A payment belongs to the day of
 * its Stripe charge (or, when Stripe has none in the period, of its success in checkout).
 * Read-only: it reports, it repairs nothing (the payment doctor and recovery do).
 */
// Created at start so its gauges are exported (0 until the first run) and the alert has a series.
@Startup
@ApplicationScoped
public class AmountReconciliation {

    public static final String DIFFERENCES_GAUGE = "homepage_reconciliation_amount_differences";
    public static final String LAST_RUN_GAUGE = "homepage_reconciliation_amount_last_run_timestamp_seconds";
    private static final Logger LOG = Logger.getLogger(AmountReconciliation.class);
    private static final int PAGE = 100;
    static final int MAX_DAYS = 92;

    private final StripeLists stripe;
    private final SuiteAmounts suite;
    private final WebhookSettings.Amounts settings;
    private final Clock clock;
    private final AtomicLong differences = new AtomicLong();
    private final AtomicLong lastRun = new AtomicLong();

    public AmountReconciliation(
            StripeLists stripe, SuiteAmounts suite, WebhookSettings settings, Clock clock, MeterRegistry registry) {
        this.stripe = stripe;
        this.suite = suite;
        this.settings = settings.amounts();
        this.clock = clock;
        registry.gauge(DIFFERENCES_GAUGE, differences);
        registry.gauge(LAST_RUN_GAUGE, lastRun);
    }

    private static final class Money {
        LocalDate day;
        String currency;
        String chargeId;
        boolean atStripe;
        long stripeCaptured;
        long stripeRefunded;
        long stripeDisputed;
        boolean inSuite;
        long suiteCaptured;
        String suiteStatus;
        long suiteRefunded;
        long suiteDisputed;
    }

    public Uni<AmountReport> run(LocalDate from, LocalDate to) {
        if (to.isBefore(from) || from.plusDays(MAX_DAYS).isBefore(to)) {
            throw new ProblemException(
                    ProblemType.VALIDATION, "the period must run forwards and span at most " + MAX_DAYS + " days");
        }
        Instant start = from.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Map<String, Money> byIntent = new HashMap<>();
        return all("list charges", "/v1/charges", start, end, null, new ArrayList<>())
                .invoke(charges -> charges.forEach(charge -> addCharge(byIntent, charge)))
                .chain(() -> all("list disputes", "/v1/disputes", start, null, null, new ArrayList<>()))
                .invoke(disputes -> disputes.forEach(dispute -> addDispute(byIntent, dispute)))
                // checkout's success may come a little after Stripe's charge: ask a day around the period
                .chain(() -> suite.captured(start.minusSeconds(86_400), end.plusSeconds(86_400)))
                .invoke(captured -> captured.forEach(c -> addCaptured(byIntent, c, from, to)))
                .chain(() -> suite.ledger(byIntent.keySet()))
                .map(ledger -> {
                    ledger.forEach((pi, amounts) -> {
                        Money money = byIntent.get(pi);
                        if (money != null) {
                            money.suiteRefunded = amounts.refunded();
                            money.suiteDisputed = amounts.disputed();
                        }
                    });
                    return report(from, to, byIntent);
                })
                .invoke(report -> {
                    differences.set(report.differenceCount());
                    lastRun.set(clock.instant().getEpochSecond());
                    if (report.differenceCount() > 0) {
                        LOG.warnf("Amount reconciliation %s..%s: %d differences", from, to, report.differenceCount());
                    }
                })
                .onFailure(e -> !(e instanceof ProblemException))
                .transform(e -> {
                    LOG.warnf("Amount reconciliation failed: %s", StripeCalls.describe(e));
                    return new ProblemException(
                            ProblemType.RECONCILIATION_FAILED,
                            "Reconciliation could not reach Stripe or a payments service; retry later");
                });
    }

    private void addCharge(Map<String, Money> byIntent, JsonNode charge) {
        String pi = charge.path("payment_intent").isTextual()
                ? charge.path("payment_intent").asText()
                : charge.path("payment_intent").path("id").asText(null);
        if (pi == null || !"succeeded".equals(charge.path("status").asText())) {
            return;
        }
        Money money = byIntent.computeIfAbsent(pi, k -> new Money());
        money.atStripe = true;
        money.day =
                LocalDate.ofInstant(Instant.ofEpochSecond(charge.path("created").asLong()), ZoneOffset.UTC);
        money.currency = charge.path("currency").asText();
        money.chargeId = charge.path("id").asText();
        money.stripeCaptured += charge.path("amount_captured").asLong();
        money.stripeRefunded += charge.path("amount_refunded").asLong();
    }

    private void addDispute(Map<String, Money> byIntent, JsonNode dispute) {
        String pi = dispute.path("payment_intent").asText(null);
        Money money = pi == null ? null : byIntent.get(pi);
        if (money != null && money.atStripe) {
            money.stripeDisputed += dispute.path("amount").asLong();
        }
    }

    private void addCaptured(
            Map<String, Money> byIntent, CheckoutClient.Captured captured, LocalDate from, LocalDate to) {
        Money money = byIntent.get(captured.paymentIntentId());
        if (money == null) {
            LocalDate day = LocalDate.ofInstant(captured.succeededAt(), ZoneOffset.UTC);
            if (day.isBefore(from) || day.isAfter(to)) {
                return; // belongs to a neighbouring period
            }
            money = new Money();
            money.day = day;
            money.currency = captured.currency();
            byIntent.put(captured.paymentIntentId(), money);
        }
        money.inSuite = true;
        money.suiteStatus = captured.status();
        // a mismatch payment was captured at Stripe but never applied: the suite holds none of it
        money.suiteCaptured = "succeeded".equals(captured.status()) ? captured.amount() : 0;
    }

    private AmountReport report(LocalDate from, LocalDate to, Map<String, Money> byIntent) {
        Map<String, AmountReport.Amounts[]> days = new TreeMap<>();
        Map<String, AmountReport.Amounts[]> totals = new TreeMap<>();
        List<AmountReport.Difference> found = new ArrayList<>();
        for (Map.Entry<String, Money> entry : byIntent.entrySet()) {
            String pi = entry.getKey();
            Money m = entry.getValue();
            if (m.day.isBefore(from) || m.day.isAfter(to)) {
                continue;
            }
            AmountReport.Amounts s = new AmountReport.Amounts(m.stripeCaptured, m.stripeRefunded, m.stripeDisputed);
            AmountReport.Amounts u = new AmountReport.Amounts(m.suiteCaptured, m.suiteRefunded, m.suiteDisputed);
            add(days, m.day + "|" + m.currency, s, u);
            add(totals, m.currency, s, u);
            String note = !m.atStripe
                    ? "no charge at Stripe in the period"
                    : !m.inSuite
                            ? "not applied in checkout"
                            : "mismatch".equals(m.suiteStatus) ? "checkout refused it (amount mismatch)" : "";
            compare(found, m, pi, "captured", s.captured(), u.captured(), note);
            compare(found, m, pi, "refunded", s.refunded(), u.refunded(), "");
            compare(found, m, pi, "disputed", s.disputed(), u.disputed(), "");
        }
        found.sort(Comparator.comparing(AmountReport.Difference::day)
                .thenComparing(AmountReport.Difference::paymentIntentId)
                .thenComparing(AmountReport.Difference::kind));
        List<AmountReport.Row> dayRows = new ArrayList<>();
        days.forEach((key, v) -> dayRows.add(new AmountReport.Row(
                LocalDate.parse(key.substring(0, key.indexOf('|'))),
                key.substring(key.indexOf('|') + 1),
                v[0],
                v[1],
                v[0].equals(v[1]))));
        List<AmountReport.Row> totalRows = new ArrayList<>();
        totals.forEach(
                (currency, v) -> totalRows.add(new AmountReport.Row(null, currency, v[0], v[1], v[0].equals(v[1]))));
        return new AmountReport(from, to, clock.instant(), byIntent.size(), dayRows, totalRows, found, found.size());
    }

    private static void compare(
            List<AmountReport.Difference> found,
            Money m,
            String pi,
            String kind,
            long stripe,
            long suite,
            String note) {
        if (stripe != suite) {
            found.add(new AmountReport.Difference(m.day, kind, pi, m.chargeId, m.currency, stripe, suite, note));
        }
    }

    private static void add(
            Map<String, AmountReport.Amounts[]> sums,
            String key,
            AmountReport.Amounts stripe,
            AmountReport.Amounts suite) {
        AmountReport.Amounts zero = new AmountReport.Amounts(0, 0, 0);
        AmountReport.Amounts[] v = sums.computeIfAbsent(key, k -> new AmountReport.Amounts[] {zero, zero});
        v[0] = v[0].plus(stripe);
        v[1] = v[1].plus(suite);
    }

    /** Every object of a Stripe list created in [start, end) (end null: up to now), page by page. */
    private Uni<List<JsonNode>> all(
            String what, String path, Instant start, Instant end, String after, List<JsonNode> found) {
        List<Map.Entry<String, String>> params = new ArrayList<>();
        params.add(Map.entry("limit", Integer.toString(PAGE)));
        params.add(Map.entry("created[gte]", Long.toString(start.getEpochSecond())));
        if (end != null) {
            params.add(Map.entry("created[lt]", Long.toString(end.getEpochSecond())));
        }
        if (after != null) {
            params.add(Map.entry("starting_after", after));
        }
        return stripe.page(what, path, params).chain(page -> {
            found.addAll(page.data());
            if (found.size() > settings.maxObjects()) {
                return Uni.createFrom()
                        .failure(new ProblemException(
                                ProblemType.PERIOD_TOO_LARGE,
                                "Too many Stripe objects in the period; reconcile shorter periods"));
            }
            return page.hasMore() && page.lastId() != null
                    ? all(what, path, start, end, page.lastId(), found)
                    : Uni.createFrom().item(found);
        });
    }
}
