package org.villagehomepage.payments.refund;

import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who caused a change, as the audit trail records it. */
public record Actor(String type, String id) {

    public static final Actor STRIPE = new Actor("stripe", "stripe");
    public static final Actor SYSTEM = new Actor("system", "refund-service");

    public static Actor user(JsonWebToken jwt) {
        return new Actor("user", jwt.getSubject());
    }

    public static Actor admin(JsonWebToken jwt) {
        return new Actor("admin", jwt.getSubject());
    }

    /** A service, by its verified identity (ServiceCallFilter). */
    public static Actor service(String sender) {
        return new Actor("service", sender);
    }
}
