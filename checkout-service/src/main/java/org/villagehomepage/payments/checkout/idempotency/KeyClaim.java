package org.villagehomepage.payments.checkout.idempotency;

import java.util.UUID;

/**
 * The outcome of presenting an Idempotency-Key: no key, a fresh claim to run the request under,
 * or the earlier completed request to replay.
 */
public record KeyClaim(UUID userId, String key, boolean replay, UUID paymentId) {

    public static KeyClaim none() {
        return new KeyClaim(null, null, false, null);
    }

    public boolean hasKey() {
        return key != null;
    }
}
