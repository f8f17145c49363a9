package org.villagehomepage.payments.webhook.client;

import jakarta.inject.Singleton;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;
import org.villagehomepage.payments.common.security.ServiceNames;
import org.villagehomepage.payments.common.security.ServiceTokens;

/**
 * The {@code Authorization} of a call to another service: webhook-service's own service token with
 * that service as its audience (one token per audience, so a token one receiver sees is worthless at
 * any other). Nothing of the incoming request is passed on: an operator's token never leaves.
 */
public abstract class ServiceTokenHeaders implements ClientHeadersFactory {

    private final ServiceTokens tokens;
    private final String audience;

    ServiceTokenHeaders(ServiceTokens tokens, String audience) {
        this.tokens = tokens;
        this.audience = audience;
    }

    @Override
    public MultivaluedMap<String, String> update(
            MultivaluedMap<String, String> incoming, MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        headers.putSingle("Authorization", tokens.bearer(audience));
        return headers;
    }

    @Singleton
    public static class Checkout extends ServiceTokenHeaders {
        public Checkout(ServiceTokens tokens) {
            super(tokens, ServiceNames.CHECKOUT);
        }
    }

    @Singleton
    public static class Refund extends ServiceTokenHeaders {
        public Refund(ServiceTokens tokens) {
            super(tokens, ServiceNames.REFUND);
        }
    }
}
