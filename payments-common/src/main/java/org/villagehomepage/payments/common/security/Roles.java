package org.villagehomepage.payments.common.security;

/**
 * The groups a user token may carry. Services are not a group: they prove themselves with their
 * own service tokens on /internal endpoints only ({@link ServiceCallFilter}).
 */
public final class Roles {

    /** A marketplace user acting on their own listings and payments. */
    public static final String USER = "user";
    /** Operators: refund review, bans, audit queries, outbox and webhook repair. */
    public static final String SUPER_ADMIN = "super_admin";

    private Roles() {}
}
