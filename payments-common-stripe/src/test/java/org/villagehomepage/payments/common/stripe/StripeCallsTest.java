package org.villagehomepage.payments.common.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.model.PaymentIntent;
import com.stripe.net.RequestOptions;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.PaymentIntentListParams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;
import org.villagehomepage.payments.emulator.FaultSettings.EndpointFault;

@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
class StripeCallsTest {

    @Inject
    StripeCalls calls;

    @Inject
    StripeClient stripe;

    @AfterEach
    void clearFaults() {
        StripeEmulatorResource.emulator().faults().clear();
    }

    @Test
    void serverErrorsAndLostResponsesStillMakeOneObject() throws Exception {
        String marker = "calls-" + UUID.randomUUID();
        // Half of all attempts fail (5xx, 429, or the intent is made and the answer lost); retries
        // with the same key must end in exactly one intent per key.
        StripeEmulatorResource.emulator()
                .faults()
                .seed(3)
                .endpoint("POST /v1/payment_intents", new EndpointFault(0, 0.2, 0.05, 0, 0, 0.25));

        for (int i = 0; i < 10; i++) {
            int n = i;
            String key = marker + "-" + n;
            PaymentIntent intent = calls.call(
                            "create intent",
                            () -> stripe.paymentIntents()
                                    .create(
                                            PaymentIntentCreateParams.builder()
                                                    .setAmount(500L + n)
                                                    .setCurrency("usd")
                                                    .putMetadata("marker", marker)
                                                    .build(),
                                            RequestOptions.builder()
                                                    .setIdempotencyKey(key)
                                                    .build()))
                    .await()
                    .indefinitely();
            assertThat(intent.getAmount()).isEqualTo(500L + n);
        }

        StripeEmulatorResource.emulator().faults().clear();
        long withMarker =
                stripe
                        .paymentIntents()
                        .list(PaymentIntentListParams.builder().setLimit(100L).build())
                        .getData()
                        .stream()
                        .filter(pi -> marker.equals(pi.getMetadata().get("marker")))
                        .count();
        assertThat(withMarker).isEqualTo(10);
    }

    @Test
    void invalidRequestsAreNotRetried() {
        assertThatThrownBy(() -> calls.call(
                                "retrieve", () -> stripe.paymentIntents().retrieve("pi_missing"))
                        .await()
                        .indefinitely())
                .hasCauseInstanceOf(InvalidRequestException.class);
    }
}
