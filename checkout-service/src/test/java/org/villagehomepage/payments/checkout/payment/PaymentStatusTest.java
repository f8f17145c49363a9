package org.villagehomepage.payments.checkout.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.problem.ProblemException;

/** The payment state machine as a table, without Quarkus. */
class PaymentStatusTest {

    private static final Set<String> ALLOWED = Set.of(
            "creating>requires_payment",
            "creating>failed",
            "creating>canceled",
            "creating>succeeded",
            "creating>mismatch",
            "requires_payment>failed",
            "requires_payment>canceled",
            "requires_payment>succeeded",
            "requires_payment>mismatch",
            "failed>canceled",
            "failed>succeeded",
            "failed>mismatch",
            "canceled>succeeded",
            "canceled>mismatch");

    @Test
    void onlyTheTableTransitionsExist() {
        for (PaymentStatus from : PaymentStatus.values()) {
            for (PaymentStatus to : PaymentStatus.values()) {
                boolean allowed = ALLOWED.contains(from.value() + ">" + to.value());
                assertThat(PaymentStatus.TRANSITIONS.allows(from, to))
                        .as(from + " -> " + to)
                        .isEqualTo(allowed);
            }
        }
    }

    @Test
    void openStatusesAreThoseThatCanStillFail() {
        for (PaymentStatus status : PaymentStatus.values()) {
            assertThat(status.isOpen())
                    .as(status.value())
                    .isEqualTo(PaymentStatus.TRANSITIONS.allows(status, PaymentStatus.CANCELED));
        }
    }

    @Test
    void aRefusedTransitionIsA409ProblemAndChangesNothing() {
        Payment payment = Payment.open(
                java.util.UUID.randomUUID(),
                java.util.UUID.randomUUID(),
                java.util.UUID.randomUUID(),
                PaymentPurpose.POSTING_FEE,
                500,
                "usd");
        payment.moveTo(PaymentStatus.REQUIRES_PAYMENT);
        payment.moveTo(PaymentStatus.SUCCEEDED);
        assertThatThrownBy(() -> payment.moveTo(PaymentStatus.CANCELED))
                .isInstanceOfSatisfying(ProblemException.class, p -> {
                    assertThat(p.status()).isEqualTo(409);
                    assertThat(p.type()).isEqualTo("invalid-transition");
                    assertThat(p.getMessage()).isEqualTo("A succeeded payment cannot become canceled");
                });
        assertThat(payment.status).isEqualTo(PaymentStatus.SUCCEEDED);
    }

    @Test
    void storedAsTheWireName() {
        for (PaymentStatus status : PaymentStatus.values()) {
            assertThat(PaymentStatus.of(status.value())).isEqualTo(status);
        }
        assertThatThrownBy(() -> PaymentStatus.of("paid")).isInstanceOf(IllegalStateException.class);
    }
}
