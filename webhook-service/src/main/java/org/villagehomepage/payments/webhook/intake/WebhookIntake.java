package org.villagehomepage.payments.webhook.intake;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.common.problem.FailureKind;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;
import org.villagehomepage.payments.common.stripe.StripeKeys;
import org.villagehomepage.payments.common.stripe.StripeSettings;
import org.villagehomepage.payments.webhook.WebhookSettings;
import org.villagehomepage.payments.webhook.event.EventBatcher;
import org.villagehomepage.payments.webhook.event.EventRoutes;
import org.villagehomepage.payments.webhook.event.StripeEvent;
import org.villagehomepage.payments.webhook.event.StripeEventParser;
import org.villagehomepage.payments.webhook.signature.SignatureFailure;
import org.villagehomepage.payments.webhook.signature.WebhookSignatures;

/**
 * One delivery from Stripe: verify the signature over the raw body, read the event's id and type,
 * store it once with its outbox message, and only then acknowledge. Types the suite does not
 * process are acknowledged and counted, not stored.
 */
@ApplicationScoped
public class WebhookIntake {

    private static final Logger LOG = Logger.getLogger(WebhookIntake.class);

    private final WebhookSignatures signatures;
    private final StripeEventParser parser;
    private final EventBatcher batcher;
    private final IntakeMetrics metrics;
    private final RejectionAudit rejections;
    private final WebhookSettings settings;
    /** From the secret key's prefix (sk_live_: true, sk_test_: false); unknown for a key of neither form. */
    private final Optional<Boolean> expectedLivemode;

    public WebhookIntake(
            WebhookSignatures signatures,
            StripeEventParser parser,
            EventBatcher batcher,
            IntakeMetrics metrics,
            RejectionAudit rejections,
            WebhookSettings settings,
            StripeSettings stripe) {
        this.signatures = signatures;
        this.parser = parser;
        this.batcher = batcher;
        this.metrics = metrics;
        this.rejections = rejections;
        this.settings = settings;
        this.expectedLivemode = StripeKeys.mode(stripe.secretKey()).map(mode -> mode == StripeKeys.Mode.LIVE);
    }

    /** @param payload the body exactly as received (decoded as UTF-8), never logged */
    public record Delivery(String payload, String signatureHeader, String sourceIp, String requestId) {}

    public Uni<Void> receive(Delivery delivery) {
        Optional<SignatureFailure> failure = signatures.verify(delivery.payload(), delivery.signatureHeader());
        if (failure.isPresent()) {
            return Uni.createFrom().failure(refuse(delivery, failure.get()));
        }
        StripeEventParser.Head head = parser.head(delivery.payload());
        if (expectedLivemode.isPresent() && head.livemode() != expectedLivemode.get()) {
            // A live endpoint pointed at a test deployment (or the reverse): never act on the other mode's money.
            metrics.rejected(SignatureFailure.LIVEMODE_MISMATCH);
            rejections.rejected(delivery.sourceIp(), SignatureFailure.LIVEMODE_MISMATCH, delivery.requestId());
            LOG.warnf(
                    "Stripe event refused: livemode=%s differs from the key's mode: eventId=%s, type=%s",
                    head.livemode(), head.id(), head.type());
            return Uni.createFrom()
                    .failure(new ProblemException(
                            ProblemType.LIVEMODE_MISMATCH,
                            "The event's livemode does not match this deployment's Stripe mode"));
        }
        metrics.received(head.type());
        Optional<String> destination = EventRoutes.destination(head.type());
        if (destination.isEmpty()) {
            metrics.ignored(head.type());
            LOG.debugf("Ignored Stripe event: eventId=%s, type=%s", head.id(), head.type());
            return Uni.createFrom().voidItem();
        }
        StripeEvent event =
                parser.event(head, destination.get(), delivery.payload(), StripeEvent.DELIVERY, delivery.requestId());
        return batcher.submit(event)
                .ifNoItem()
                .after(settings.intake().storeTimeout())
                .failWith(() -> new IllegalStateException("store timeout"))
                .onFailure()
                .transform(e -> {
                    LOG.errorf(
                            "Stripe event not stored, answering 503 so Stripe retries: eventId=%s, type=%s, cause=%s",
                            event.id(), event.type(), FailureKind.of(e));
                    return unavailable();
                })
                .invoke(outcome -> {
                    if (outcome == EventBatcher.Outcome.DUPLICATE) {
                        metrics.duplicate(event.type());
                    }
                    LOG.debugf("Stripe event %s: eventId=%s, type=%s", outcome, event.id(), event.type());
                })
                .replaceWithVoid();
    }

    private ProblemException refuse(Delivery delivery, SignatureFailure failure) {
        metrics.rejected(failure);
        rejections.rejected(delivery.sourceIp(), failure, delivery.requestId());
        return new ProblemException(ProblemType.INVALID_SIGNATURE, "The Stripe-Signature header does not verify");
    }

    private static ProblemException unavailable() {
        return new ProblemException(
                ProblemType.UNAVAILABLE, "The event could not be stored; retry later", Map.of("Retry-After", "5"));
    }
}
