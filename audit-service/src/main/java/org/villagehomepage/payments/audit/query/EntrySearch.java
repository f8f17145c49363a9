package org.villagehomepage.payments.audit.query;

import java.time.Instant;

/** The criteria of an entries search; a null criterion does not filter. */
public record EntrySearch(String action, String outcome, String service, String actorId, Instant from, Instant to) {}
