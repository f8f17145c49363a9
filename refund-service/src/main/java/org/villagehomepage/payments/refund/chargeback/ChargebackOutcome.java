package org.villagehomepage.payments.refund.chargeback;

/** What a dispute event changed: a new chargeback, a closing, a ban. All false for a duplicate. */
public record ChargebackOutcome(boolean recorded, boolean closed, boolean banned) {

    public static final ChargebackOutcome NOTHING = new ChargebackOutcome(false, false, false);

    public boolean changed() {
        return recorded || closed;
    }
}
