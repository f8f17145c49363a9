package org.villagehomepage.payments.webhook.dispatch;

import java.util.List;

/**
 * An event's state for ops, derived from its outbox message rather than kept twice: {@code received}
 * (queued, never tried), {@code dispatched} (a relay holds it right now), {@code failed} (tried,
 * waiting for a retry), {@code dead} (the relay gave up), {@code processed} (the receiver answered 2xx;
 * also when the delivered message has since been cleaned up).
 */
public final class EventStatus {

    public static final String RECEIVED = "received";
    public static final String DISPATCHED = "dispatched";
    public static final String PROCESSED = "processed";
    public static final String FAILED = "failed";
    public static final String DEAD = "dead";
    public static final List<String> ALL = List.of(RECEIVED, DISPATCHED, PROCESSED, FAILED, DEAD);

    /** SQL over {@code webhook_event e LEFT JOIN outbox_message m ON m.id = e.message_id}. */
    public static final String SQL = """
            CASE WHEN m.id IS NULL OR m.status = 'delivered' THEN 'processed'
                 WHEN m.status = 'dead' THEN 'dead'
                 WHEN m.claimed_until > now() THEN 'dispatched'
                 WHEN m.attempts > 0 THEN 'failed'
                 ELSE 'received' END""";

    private EventStatus() {}
}
