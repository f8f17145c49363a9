package org.villagehomepage.payments.refund;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.refund.payment.RefundPayment;
import org.villagehomepage.payments.refund.request.RefundIntake;
import org.villagehomepage.payments.refund.request.RefundRequest;
import org.villagehomepage.payments.refund.request.RefundStatus;

/** The state machine and the ledger arithmetic, without Quarkus. */
class RefundLifecycleTest {

    private static final Set<String> ALLOWED = Set.of(
            "pending>approved",
            "pending>rejected",
            "approved>processed",
            "approved>failed",
            "failed>approved",
            "processed>failed");

    @Test
    void onlyTheSixTransitionsExist() {
        for (RefundStatus from : RefundStatus.values()) {
            for (RefundStatus to : RefundStatus.values()) {
                boolean allowed = ALLOWED.contains(from.wire() + ">" + to.wire());
                assertThat(from.canBecome(to)).as(from + " -> " + to).isEqualTo(allowed);
            }
        }
    }

    @Test
    void aRefusedTransitionIsA409ProblemAndChangesNothing() {
        RefundRequest request = new RefundRequest();
        request.status = RefundStatus.REJECTED;
        for (RefundStatus next : EnumSet.allOf(RefundStatus.class)) {
            assertThatThrownBy(() -> request.moveTo(next, Instant.now()))
                    .isInstanceOfSatisfying(ProblemException.class, p -> {
                        assertThat(p.status()).isEqualTo(409);
                        assertThat(p.type()).isEqualTo("invalid-transition");
                    });
        }
        assertThat(request.status).isEqualTo(RefundStatus.REJECTED);

        request.status = RefundStatus.PROCESSED;
        assertThatThrownBy(() -> request.moveTo(RefundStatus.APPROVED, Instant.now()))
                .isInstanceOf(ProblemException.class);
        request.status = RefundStatus.PENDING;
        assertThatThrownBy(() -> request.moveTo(RefundStatus.PROCESSED, Instant.now()))
                .isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> request.moveTo(RefundStatus.FAILED, Instant.now()))
                .isInstanceOf(ProblemException.class);
    }

    @Test
    void retryPathGoesBackToApproved() {
        RefundRequest request = new RefundRequest();
        request.status = RefundStatus.PENDING;
        request.moveTo(RefundStatus.APPROVED, Instant.now());
        request.moveTo(RefundStatus.FAILED, Instant.now());
        request.moveTo(RefundStatus.APPROVED, Instant.now());
        request.moveTo(RefundStatus.PROCESSED, Instant.now());
        assertThat(request.status).isEqualTo(RefundStatus.PROCESSED);
    }

    @Test
    void theAutomaticWindowIncludesItsLastSecondOnly() {
        Instant paid = Instant.parse("2026-03-01T10:00:00Z");
        Duration day = Duration.ofHours(24);
        assertThat(RefundIntake.withinWindow(paid, day, paid)).isTrue();
        assertThat(RefundIntake.withinWindow(paid, day, paid.plus(day))).isTrue();
        assertThat(RefundIntake.withinWindow(paid, day, paid.plus(day).plusMillis(1)))
                .isFalse();
        assertThat(RefundIntake.withinWindow(paid, day, paid.plus(day).plusSeconds(1)))
                .isFalse();
    }

    @Test
    void refundableIsCapturedLessEverythingSpokenFor() {
        RefundPayment payment = new RefundPayment();
        payment.captured = 1000;
        assertThat(payment.refundable()).isEqualTo(1000);
        payment.reserve(400, Instant.now());
        payment.refundedExternally = 100;
        payment.disputed = 200;
        assertThat(payment.refundable()).isEqualTo(300);
        assertThat(payment.fits(300)).isTrue();
        assertThat(payment.fits(301)).isFalse();
        assertThat(payment.fits(0)).isFalse();
        assertThatThrownBy(() -> payment.reserve(301, Instant.now())).isInstanceOf(IllegalStateException.class);
        payment.release(400, Instant.now());
        assertThat(payment.refundable()).isEqualTo(700);
        // a dispute larger than what is left never makes the refundable amount negative
        payment.disputed = 5000;
        assertThat(payment.refundable()).isZero();
    }
}
