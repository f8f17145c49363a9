package org.villagehomepage.payments.webhook.support;

import static io.restassured.RestAssured.given;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import com.stripe.net.RequestOptions;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.RefundCreateParams;
import java.util.UUID;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;

/** Payments made in the stripe-emulator the way checkout and Stripe.js make them. */
public final class Payments {

    private Payments() {}

    /** A posting-fee PaymentIntent with checkout's metadata, paid with a card that succeeds. */
    public static PaymentIntent paid(StripeClient stripe) {
        return paid(stripe, "posting_fee");
    }

    /** A PaymentIntent for {@code paymentType} (checkout's metadata), paid with a card that succeeds. */
    public static PaymentIntent paid(StripeClient stripe, String paymentType) {
        PaymentIntent intent = create(stripe, paymentType);
        given().baseUri(StripeEmulatorResource.emulator().apiBase())
                .contentType("application/json")
                .body("{\"card\":\"success\"}")
                .post("/_emulator/payment_intents/" + intent.getId() + "/pay")
                .then()
                .statusCode(200);
        return intent;
    }

    public static PaymentIntent create(StripeClient stripe) {
        return create(stripe, "posting_fee");
    }

    public static PaymentIntent create(StripeClient stripe, String paymentType) {
        try {
            return stripe.v1()
                    .paymentIntents()
                    .create(
                            PaymentIntentCreateParams.builder()
                                    .setAmount(500L)
                                    .setCurrency("usd")
                                    .putMetadata("listing_id", UUID.randomUUID().toString())
                                    .putMetadata("user_id", UUID.randomUUID().toString())
                                    .putMetadata(
                                            "category_id", UUID.randomUUID().toString())
                                    .putMetadata("payment_type", paymentType)
                                    .putMetadata("payment_id", UUID.randomUUID().toString())
                                    .build(),
                            idempotent());
        } catch (StripeException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void refund(StripeClient stripe, String paymentIntentId) {
        try {
            stripe.v1()
                    .refunds()
                    .create(
                            RefundCreateParams.builder()
                                    .setPaymentIntent(paymentIntentId)
                                    .build(),
                            idempotent());
        } catch (StripeException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RequestOptions idempotent() {
        return RequestOptions.builder()
                .setIdempotencyKey(UUID.randomUUID().toString())
                .build();
    }
}
