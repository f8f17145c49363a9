package org.villagehomepage.payments.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Predicate;

/** Stripe's cursor pagination ({@code limit}, {@code starting_after}, {@code ending_before}) and {@code created} filters. */
final class Paging {
    private Paging() {}

    /** {@code newestFirst} is already filtered; items are rendered as given. */
    static ObjectNode page(List<ObjectNode> newestFirst, JsonNode params, String url) {
        int limit = Params.limit(params);
        String after = Params.string(params, "starting_after");
        String before = Params.string(params, "ending_before");
        if (after != null && !after.isEmpty() && before != null && !before.isEmpty()) {
            throw ApiException.invalidRequest(
                    "You may only specify one of these parameters: ending_before, starting_after.",
                    null,
                    "ending_before");
        }
        int from;
        int to;
        boolean hasMore;
        if (after != null && !after.isEmpty()) {
            from = indexOf(newestFirst, after, "starting_after") + 1;
            to = Math.min(newestFirst.size(), from + limit);
            hasMore = to < newestFirst.size();
        } else if (before != null && !before.isEmpty()) {
            to = indexOf(newestFirst, before, "ending_before");
            from = Math.max(0, to - limit);
            hasMore = from > 0;
        } else {
            from = 0;
            to = Math.min(newestFirst.size(), limit);
            hasMore = to < newestFirst.size();
        }
        ObjectNode list = Json.object();
        list.put("object", "list");
        ArrayNode data = list.putArray("data");
        newestFirst.subList(from, to).forEach(data::add);
        list.put("has_more", hasMore);
        list.put("url", url);
        return list;
    }

    private static int indexOf(List<ObjectNode> items, String id, String param) {
        for (int i = 0; i < items.size(); i++) {
            if (id.equals(items.get(i).path("id").asText())) {
                return i;
            }
        }
        throw new ApiException(400, "invalid_request_error", "resource_missing", "No such object: '" + id + "'", param);
    }

    /** {@code created=N} or {@code created[gt|gte|lt|lte]=N}. */
    static Predicate<ObjectNode> createdFilter(JsonNode params) {
        JsonNode c = params.get("created");
        if (c == null || c.isNull()) {
            return o -> true;
        }
        if (!c.isObject()) {
            long exact = parse(c.asText(), "created");
            return o -> o.path("created").asLong() == exact;
        }
        Predicate<ObjectNode> p = o -> true;
        for (String op : List.of("gt", "gte", "lt", "lte")) {
            if (!c.hasNonNull(op)) {
                continue;
            }
            long v = parse(c.get(op).asText(), "created[" + op + "]");
            Predicate<ObjectNode> cond = switch (op) {
                case "gt" -> o -> o.path("created").asLong() > v;
                case "gte" -> o -> o.path("created").asLong() >= v;
                case "lt" -> o -> o.path("created").asLong() < v;
                default -> o -> o.path("created").asLong() <= v;
            };
            p = p.and(cond);
        }
        return p;
    }

    private static long parse(String v, String param) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiException.invalidRequest("Invalid integer: " + v, "parameter_invalid_integer", param);
        }
    }
}
