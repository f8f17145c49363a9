package org.villagehomepage.payments.webhook.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.common.contract.PaymentOverview;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;
import org.villagehomepage.payments.common.stripe.StripeCalls;
import org.villagehomepage.payments.webhook.amounts.SuiteAmounts;
import org.villagehomepage.payments.webhook.audit.AuditOutbox;
import org.villagehomepage.payments.webhook.dispatch.Redispatch;
import org.villagehomepage.payments.webhook.ops.WebhookEventQueries;
import org.villagehomepage.payments.webhook.ops.WebhookEventView;
import org.villagehomepage.payments.webhook.recovery.CheckoutPayments;
import org.villagehomepage.payments.webhook.recovery.Recovery;
import org.villagehomepage.payments.webhook.stripe.StripeLists;

/**
 * The payment doctor and manual sync (operations guide: "Payment Intent created but listing still
 * pending_payment"; "run manual sync"). Looks at each PaymentIntent of the subject from Stripe's
 * side and the suite's, names what is wrong, and - when applying - repairs it only through the
 * normal paths: the missing event is stored and dispatched as recovery does, a dead or stalled
 * dispatch is delivered again (receivers apply each message once). Everything else is named with
 * the runbook step to take; nothing is written by hand.
 */
@ApplicationScoped
public class PaymentDoctor {

    private static final Logger LOG = Logger.getLogger(PaymentDoctor.class);
    static final int MAX_PAYMENTS = 20;

    private final StripeLists stripe;
    private final CheckoutPayments checkout;
    private final SuiteAmounts ledger;
    private final WebhookEventQueries events;
    private final Recovery recovery;
    private final Redispatch redispatch;
    private final AuditOutbox audit;
    private final Pool pool;

    public PaymentDoctor(
            StripeLists stripe,
            CheckoutPayments checkout,
            SuiteAmounts ledger,
            WebhookEventQueries events,
            Recovery recovery,
            Redispatch redispatch,
            AuditOutbox audit,
            Pool pool) {
        this.stripe = stripe;
        this.checkout = checkout;
        this.ledger = ledger;
        this.events = events;
        this.recovery = recovery;
        this.redispatch = redispatch;
        this.audit = audit;
        this.pool = pool;
    }

    public Uni<DoctorReport> examine(String subject, boolean apply, Recovery.Operator operator) {
        return intentsOf(subject)
                .chain(intents -> Multi.createFrom()
                        .iterable(intents)
                        .onItem()
                        .transformToUniAndConcatenate(pi -> examineOne(pi, apply, operator))
                        .collect()
                        .asList())
                .call(cases -> pool.withTransaction(connection -> audit.record(
                        connection,
                        List.of(new AuditOutbox.Entry(
                                UUID.randomUUID(),
                                apply ? "doctor.applied" : "doctor.examined",
                                "success",
                                "admin",
                                operator.adminId(),
                                subject.startsWith("pi_") ? subject : null,
                                operator.requestId(),
                                null,
                                Map.of(
                                        "subject",
                                        subject,
                                        "payments",
                                        Integer.toString(cases.size()),
                                        "problems",
                                        Integer.toString(cases.stream()
                                                .mapToInt(c -> c.findings().size())
                                                .sum())))),
                        operator.requestId())))
                .map(cases -> new DoctorReport(
                        subject,
                        apply,
                        cases,
                        cases.stream().mapToInt(c -> c.findings().size()).sum(),
                        (int) cases.stream()
                                .flatMap(c -> c.findings().stream())
                                .filter(f -> f.outcome() != null && f.outcome().startsWith("repaired"))
                                .count()))
                .onFailure(e -> !(e instanceof ProblemException))
                .transform(e -> {
                    LOG.warnf("Payment doctor failed for %s: %s", subject, StripeCalls.describe(e));
                    return new ProblemException(
                            ProblemType.DOCTOR_FAILED,
                            "The doctor could not reach Stripe or a payments service; retry later");
                });
    }

    /** A PaymentIntent id, or a listing or user id whose payments checkout knows. */
    private Uni<List<String>> intentsOf(String subject) {
        if (subject.matches("pi_[A-Za-z0-9_]{1,200}")) {
            return Uni.createFrom().item(List.of(subject));
        }
        UUID id;
        try {
            id = UUID.fromString(subject);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(
                    ProblemType.VALIDATION, "subject must be a PaymentIntent id (pi_...) or a listing or user id");
        }
        return checkout.bySubject(id).map(payments -> {
            List<String> intents = new ArrayList<>();
            payments.forEach(p -> {
                String pi = p.paymentIntentId();
                if (pi != null && !intents.contains(pi) && intents.size() < MAX_PAYMENTS) {
                    intents.add(pi);
                }
            });
            return intents;
        });
    }

    private Uni<DoctorReport.Case> examineOne(String pi, boolean apply, Recovery.Operator operator) {
        return stripe.object("retrieve payment intent", "/v1/payment_intents/" + pi + "?expand%5B%5D=latest_charge")
                .chain(intent -> {
                    String chargeId = intent.map(i -> i.path("latest_charge").isObject()
                                    ? i.path("latest_charge").path("id").asText(null)
                                    : i.path("latest_charge").asText(null))
                            .orElse(null);
                    List<String> objects = chargeId == null ? List.of(pi) : List.of(pi, chargeId);
                    return events.forObjects(objects)
                            .chain(stored -> checkout.byIntent(pi)
                                    .chain(row -> ledger.ledger(List.of(pi))
                                            .map(all -> all.get(pi))
                                            .chain(l -> diagnose(
                                                    pi,
                                                    intent,
                                                    stored,
                                                    row,
                                                    new DoctorReport.Ledger(
                                                            l == null ? 0 : l.refunded(), l == null ? 0 : l.disputed()),
                                                    apply,
                                                    operator))));
                });
    }

    private Uni<DoctorReport.Case> diagnose(
            String pi,
            Optional<JsonNode> intent,
            List<WebhookEventView> stored,
            Optional<PaymentOverview> row,
            DoctorReport.Ledger refunds,
            boolean apply,
            Recovery.Operator operator) {
        List<DoctorReport.Finding> findings = new ArrayList<>();
        Uni<Void> repairs = Uni.createFrom().voidItem();
        String stripeStatus = intent.map(i -> i.path("status").asText()).orElse("missing");
        String checkoutStatus =
                row.map(r -> Objects.requireNonNullElse(r.status(), "")).orElse("missing");
        JsonNode charge = intent.map(i -> i.path("latest_charge"))
                .filter(JsonNode::isObject)
                .orElse(null);
        if (intent.isEmpty()) {
            findings.add(new DoctorReport.Finding(
                    "unknown-at-stripe",
                    "Stripe has no PaymentIntent " + pi + " (another account or mode?)",
                    null,
                    null));
        }
        if ("succeeded".equals(stripeStatus) && !"succeeded".equals(checkoutStatus)) {
            Optional<WebhookEventView> succeeded = stored.stream()
                    .filter(e -> e.type().equals("payment_intent.succeeded"))
                    .findFirst();
            if ("mismatch".equals(checkoutStatus)) {
                findings.add(new DoctorReport.Finding(
                        "amount-mismatch",
                        "checkout refused the succeeded payment: its amount, "
                                + "currency or metadata differ from the stored payment; refund it at Stripe (runbook stuck-payments, step 4)",
                        null,
                        null));
            } else if (succeeded.isEmpty()) {
                DoctorReport.Finding finding = new DoctorReport.Finding(
                        "event-missing",
                        "Stripe says succeeded but the suite never " + "stored payment_intent.succeeded (checkout: "
                                + checkoutStatus + ")",
                        "store the missing event and dispatch it to checkout (as recovery does)",
                        null);
                repairs = repairs.chain(() -> apply
                        ? recovery.apply(List.of(intent.get()), operator)
                                .invoke(n -> findings.set(
                                        findings.indexOf(finding),
                                        withOutcome(finding, "repaired: event stored and dispatched")))
                                .replaceWithVoid()
                        : Uni.createFrom().voidItem());
                findings.add(finding);
            } else if (!"processed".equals(succeeded.get().status())) {
                WebhookEventView event = succeeded.get();
                DoctorReport.Finding finding = new DoctorReport.Finding(
                        "dispatch-" + event.status(),
                        "payment_intent.succeeded "
                                + event.id() + " is " + event.status() + " after " + event.attempts() + " attempts"
                                + (event.lastError() == null ? "" : " (last error: " + event.lastError() + ")"),
                        "deliver it to checkout again",
                        null);
                repairs = repairs.chain(() -> apply
                        ? requeue(event.id(), operator)
                                .invoke(ok -> findings.set(
                                        findings.indexOf(finding),
                                        withOutcome(
                                                finding,
                                                ok ? "repaired: redelivery queued" : "not repaired: event not found")))
                                .replaceWithVoid()
                        : Uni.createFrom().voidItem());
                findings.add(finding);
            } else {
                findings.add(new DoctorReport.Finding(
                        "checkout-not-applied",
                        "payment_intent.succeeded " + succeeded.get().id() + " was delivered but checkout shows "
                                + checkoutStatus + "; see checkout-service logs for its request id",
                        null,
                        null));
            }
        }
        if ("succeeded".equals(checkoutStatus) && intent.isPresent() && !"succeeded".equals(stripeStatus)) {
            findings.add(new DoctorReport.Finding(
                    "suite-ahead-of-stripe",
                    "checkout counts the payment as succeeded but Stripe's " + "PaymentIntent is " + stripeStatus
                            + ": investigate (possible tampering)",
                    null,
                    null));
        }
        if (charge != null && charge.path("amount_refunded").asLong() != refunds.refunded()) {
            findings.add(eventOrReconcile(
                    stored,
                    "charge.refunded",
                    "refund-unrecorded",
                    "Stripe refunded " + charge.path("amount_refunded").asLong() + " but the refund ledger records "
                            + refunds.refunded()));
        }
        long disputed = charge != null && charge.path("disputed").asBoolean() ? 1 : 0;
        if (disputed == 1 && refunds.disputed() == 0) {
            findings.add(eventOrReconcile(
                    stored,
                    "charge.dispute.created",
                    "dispute-unrecorded",
                    "the charge is disputed at Stripe but the refund ledger has no chargeback"));
        }
        repairs = repairs.chain(() -> repairStoredEvents(findings, stored, apply, operator));
        DoctorReport.StripeSummary summary = summary(intent, charge);
        return repairs.map(done -> new DoctorReport.Case(pi, summary, stored, row.orElse(null), refunds, findings));
    }

    /** A refund or dispute not in the ledger: redeliver its stored event, or (never stored) reconcile. */
    private DoctorReport.Finding eventOrReconcile(
            List<WebhookEventView> stored, String type, String problem, String detail) {
        Optional<WebhookEventView> event =
                stored.stream().filter(e -> e.type().equals(type)).findFirst();
        return event.map(e -> new DoctorReport.Finding(
                        problem,
                        detail + "; " + type + " " + e.id() + " is " + e.status(),
                        "deliver " + e.id() + " to refund-service again",
                        null))
                .orElseGet(() -> new DoctorReport.Finding(
                        problem,
                        detail + "; no " + type + " event stored: run reconciliation "
                                + "(POST /admin/api/webhooks/reconciliation/run)",
                        null,
                        null));
    }

    private Uni<Void> repairStoredEvents(
            List<DoctorReport.Finding> findings,
            List<WebhookEventView> stored,
            boolean apply,
            Recovery.Operator operator) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        if (!apply) {
            return chain;
        }
        for (int i = 0; i < findings.size(); i++) {
            DoctorReport.Finding finding = findings.get(i);
            if (finding.outcome() == null
                    && finding.repair() != null
                    && finding.repair().startsWith("deliver evt")) {
                String eventId = finding.repair().split(" ")[1];
                int index = i;
                chain = chain.chain(() -> requeue(eventId, operator)
                                .invoke(ok -> findings.set(
                                        index,
                                        withOutcome(
                                                finding,
                                                ok ? "repaired: redelivery queued" : "not repaired: event not found"))))
                        .replaceWithVoid();
            }
        }
        return chain;
    }

    private Uni<Boolean> requeue(String eventId, Recovery.Operator operator) {
        return pool.withTransaction(connection -> redispatch
                .requeue(connection, eventId, operator.requestId())
                .call(ok -> ok
                        ? audit.record(
                                connection,
                                List.of(new AuditOutbox.Entry(
                                        UUID.randomUUID(),
                                        "webhook.replayed",
                                        "success",
                                        "admin",
                                        operator.adminId(),
                                        null,
                                        operator.requestId(),
                                        null,
                                        Map.of("eventId", eventId, "by", "doctor"))),
                                operator.requestId())
                        : Uni.createFrom().voidItem()));
    }

    /** Stripe's PaymentIntent and its latest charge as the report shows them: the fields Stripe gave. */
    private static DoctorReport.StripeSummary summary(Optional<JsonNode> intent, JsonNode charge) {
        if (intent.isEmpty()) {
            return DoctorReport.StripeSummary.missing();
        }
        JsonNode i = intent.get();
        Map<String, String> metadata = null;
        if (i.path("metadata").isObject()) {
            Map<String, String> all = new LinkedHashMap<>();
            i.path("metadata")
                    .properties()
                    .forEach(e -> all.put(e.getKey(), e.getValue().asText()));
            metadata = all;
        }
        return new DoctorReport.StripeSummary(
                text(i, "id"),
                text(i, "status"),
                number(i, "amount"),
                number(i, "amount_received"),
                text(i, "currency"),
                number(i, "created"),
                flag(i, "livemode"),
                metadata,
                charge == null
                        ? null
                        : new DoctorReport.StripeCharge(
                                text(charge, "id"),
                                text(charge, "status"),
                                number(charge, "amount_captured"),
                                number(charge, "amount_refunded"),
                                flag(charge, "refunded"),
                                flag(charge, "disputed")));
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static Long number(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asLong() : null;
    }

    private static Boolean flag(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asBoolean() : null;
    }

    private static DoctorReport.Finding withOutcome(DoctorReport.Finding finding, String outcome) {
        return new DoctorReport.Finding(finding.problem(), finding.detail(), finding.repair(), outcome);
    }
}
