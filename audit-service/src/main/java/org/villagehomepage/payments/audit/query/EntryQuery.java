package org.villagehomepage.payments.audit.query;

import java.util.List;
import java.util.Map;

/**
 * A query over the trail: a SQL condition with positional parameters, an order, and what the
 * access record says about it ({@code name} and {@code params}).
 */
public record EntryQuery(String name, Map<String, String> params, String where, List<Object> args, String orderBy) {

    /** Oldest first: a trail reads as a story. */
    static final String TIME_ORDER = "occurred_at, seq";
    /** Newest first: investigations start from the latest activity. */
    static final String RECENT_FIRST = "occurred_at DESC, seq DESC";
}
