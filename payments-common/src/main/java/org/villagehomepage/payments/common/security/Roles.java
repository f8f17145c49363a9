package org.villagehomepage.payments.common.security;

/** The groups a JWT may carry. */
public final class Roles {

    /** A marketplace user acting on their own listings and payments. */
    public static final String USER = "user";
    /** Operators: refund review, bans, audit queries, outbox and webhook repair. */
    public static final String SUPER_ADMIN = "super_admin";
    /** Another service of the suite (outbox relays, internal calls). */
    public static final String SERVICE = "service";

    private Roles() {
    }
}
