package org.villagehomepage.payments.refund;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.refund.request.RefundRequest;
import org.villagehomepage.payments.refund.request.RefundStatus;
import org.villagehomepage.payments.refund.stripe.RefundFact;
import org.villagehomepage.payments.refund.stripe.RefundFact.Settlement;

/** What a Stripe refund status decides, and the idempotency key of each attempt, without Quarkus. */
class StripeSettlementTest {

    @Test
    void onlySucceededCompletesAndPendingDecidesNothing() {
        assertThat(RefundFact.settlement("succeeded")).isEqualTo(Settlement.SUCCEEDED);
        assertThat(RefundFact.settlement("failed")).isEqualTo(Settlement.FAILED);
        assertThat(RefundFact.settlement("canceled")).isEqualTo(Settlement.FAILED);
        assertThat(RefundFact.settlement("pending")).isEqualTo(Settlement.IN_FLIGHT);
        assertThat(RefundFact.settlement("requires_action")).isEqualTo(Settlement.IN_FLIGHT);
        assertThat(RefundFact.settlement("")).isEqualTo(Settlement.IN_FLIGHT);
    }

    @Test
    void aRefundThatFailsAfterItWasProcessedCanFailAndBeRetried() {
        RefundRequest request = new RefundRequest();
        request.status = RefundStatus.PROCESSED;
        request.moveTo(RefundStatus.FAILED, Instant.now());
        request.moveTo(RefundStatus.APPROVED, Instant.now());
        assertThat(request.status).isEqualTo(RefundStatus.APPROVED);
        assertThat(RefundStatus.FAILED.canBecome(RefundStatus.PROCESSED)).isFalse();
    }

    @Test
    void theFirstAttemptKeyIsTheRequestIdLaterOnesAreNumbered() {
        UUID id = UUID.randomUUID();
        RefundRequest request = new RefundRequest();
        request.id = id;
        assertThat(request.idempotencyKey()).isEqualTo(id.toString());
        request.stripeKeyAttempt = 2;
        assertThat(request.idempotencyKey()).isEqualTo(id + ":2");
        assertThat(RefundRequest.idempotencyKey(id, 3)).isEqualTo(id + ":3");
    }
}
