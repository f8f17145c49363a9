package org.villagehomepage.payments.common.outbox;

public final class OutboxStatus {
    public static final String PENDING = "pending";
    public static final String DELIVERED = "delivered";
    public static final String DEAD = "dead";

    private OutboxStatus() {}
}
