package org.villagehomepage.payments.emulator;

import java.time.Instant;

/**
 * One line of the webhook delivery log. {@code httpStatus} is null when no answer came
 * ({@code error} says why) or when the delivery was {@code dropped} by the drop fault (attempt 0).
 */
public record DeliveryAttempt(
        String eventId,
        String eventType,
        String endpointId,
        String endpointUrl,
        int attempt,
        Integer httpStatus,
        String error,
        Instant timestamp,
        boolean dropped) {

    /** True for a 2xx answer. */
    public boolean succeeded() {
        return httpStatus != null && httpStatus >= 200 && httpStatus < 300;
    }
}
