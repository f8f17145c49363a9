package org.villagehomepage.payments.checkout.standing;

/** One ban or unban from refund-service; {@code version} is null from senders that do not number them. */
public record StandingChange(boolean banned, String reason, Integer chargebacks, Long version) {}
