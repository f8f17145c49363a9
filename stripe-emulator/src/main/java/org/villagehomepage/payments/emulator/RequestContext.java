package org.villagehomepage.payments.emulator;

/** What an event records about the API request that caused it ({@code event.request}). */
record RequestContext(String requestId, String idempotencyKey) {
    /** State changes made by test helpers have no API request, like Stripe's dashboard-made events. */
    static final RequestContext NONE = new RequestContext(null, null);
}
