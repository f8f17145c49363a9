package org.villagehomepage.payments.webhook.support;

import java.time.Instant;
import java.util.UUID;

/** Stripe-shaped event payloads, pretty-printed like Stripe's, so byte-exact storage shows. */
public final class Events {

    private Events() {}

    public static String newId() {
        return "evt_test" + UUID.randomUUID().toString().replace("-", "");
    }

    public static String of(String eventId, String type, String objectId) {
        String object = objectId.startsWith("pi_") ? """
                  {
                      "id": "%s",
                      "object": "payment_intent",
                      "amount": 500,
                      "currency": "usd",
                      "status": "succeeded",
                      "metadata": {
                        "listing_id": "550e8400-e29b-41d4-a716-446655440000",
                        "payment_type": "posting_fee"
                      }
                    }""".formatted(objectId) : """
                  {
                      "id": "%s",
                      "object": "charge",
                      "amount": 500,
                      "currency": "usd"
                    }""".formatted(objectId);
        return """
                {
                  "id": "%s",
                  "object": "event",
                  "api_version": "2024-11-20.acacia",
                  "created": %d,
                  "livemode": false,
                  "type": "%s",
                  "pending_webhooks": 1,
                  "request": {
                    "id": null,
                    "idempotency_key": null
                  },
                  "data": {
                    "object": %s
                  }
                }""".formatted(eventId, Instant.now().getEpochSecond(), type, object);
    }

    public static String paymentSucceeded(String eventId) {
        return of(eventId, "payment_intent.succeeded", "pi_" + eventId.substring(4));
    }
}
