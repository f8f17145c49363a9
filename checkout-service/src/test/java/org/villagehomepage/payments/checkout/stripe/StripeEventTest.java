package org.villagehomepage.payments.checkout.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.problem.ProblemException;

class StripeEventTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void readsWhatCheckoutNeedsFromAPaymentIntentEvent() throws Exception {
        UUID payment = UUID.randomUUID();
        StripeEvent event = StripeEvent.parse(mapper.readTree("""
                {"id":"evt_1","type":"payment_intent.payment_failed","data":{"object":{"id":"pi_1","amount":500,
                 "amount_received":0,"currency":"usd","metadata":{"payment_id":"%s","payment_type":"posting_fee"},
                 "last_payment_error":{"code":"card_declined"}}}}""".formatted(payment)));
        assertThat(event.intentId()).isEqualTo("pi_1");
        assertThat(event.amount()).isEqualTo(500);
        assertThat(event.amountReceived()).isZero();
        assertThat(event.paymentIdFromMetadata()).isEqualTo(payment);
        assertThat(event.failureCode()).isEqualTo("card_declined");
    }

    @Test
    void otherEventTypesNeedNoPaymentIntentAndBrokenOnesAreRefused() throws Exception {
        assertThat(StripeEvent.parse(mapper.readTree("{\"id\":\"evt_2\",\"type\":\"charge.refunded\"}"))
                        .intentId())
                .isNull();
        assertThatThrownBy(() -> StripeEvent.parse(mapper.readTree("{\"type\":\"payment_intent.succeeded\"}")))
                .isInstanceOf(ProblemException.class);
        assertThatThrownBy(
                        () -> StripeEvent.parse(
                                mapper.readTree(
                                        "{\"id\":\"evt_3\",\"type\":\"payment_intent.succeeded\",\"data\":{\"object\":{\"id\":\"pi_3\"}}}")))
                .isInstanceOf(ProblemException.class);
        StripeEvent badMetadata = StripeEvent.parse(mapper.readTree("""
                {"id":"evt_4","type":"payment_intent.succeeded","data":{"object":{"id":"pi_4","amount":5,"currency":"usd",
                 "metadata":{"payment_id":"not-a-uuid"}}}}"""));
        assertThat(badMetadata.paymentIdFromMetadata()).isNull();
        assertThat(badMetadata.amountReceived()).isEqualTo(5);
    }
}
