package org.villagehomepage.payments.checkout.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.IndexPlans;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;

/**
 * A listing's payments are found through the payment_listing index, not by scanning every payment:
 * the listing view runs this at every GET, moderation when it refunds a removed listing.
 */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
class ListingPaymentsIndexTest {

    @Inject
    Pool pool;

    @Test
    void theListingViewReadsItsPaymentsThroughAnIndex() {
        String plan = IndexPlans.withoutSeqScans(pool, PaymentRows.LIST_FOR_LISTING, Tuple.of(UUID.randomUUID()));

        assertThat(plan).contains("payment_listing").doesNotContain("Seq Scan on payment");
    }

    @Test
    void moderationLocksTheRefundablePaymentsThroughAnIndex() {
        String plan = IndexPlans.withoutSeqScans(
                pool, PaymentRows.LOCK_REFUNDABLE, Tuple.of(UUID.randomUUID(), PaymentStatus.SUCCEEDED.value()));

        assertThat(plan).contains("payment_listing").doesNotContain("Seq Scan on payment");
    }
}
