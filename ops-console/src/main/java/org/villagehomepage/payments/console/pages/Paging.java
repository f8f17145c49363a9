package org.villagehomepage.payments.console.pages;

import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.villagehomepage.payments.console.client.Answer;

/** Slicing and redirect helpers shared by the pages. */
final class Paging {

    /** Most lists answer at most this many rows per call (the services' caps). */
    static final int SERVICE_CAP = 1000;

    private Paging() {}

    /** Rows to ask for so that page {@code page} (0-based) and whether a next one exists are known. */
    static int limitFor(int page, int size) {
        return Math.min(SERVICE_CAP, (page + 1) * size + 1);
    }

    static List<?> rows(Answer answer) {
        return answer.body() instanceof List<?> list ? list : List.of();
    }

    static List<?> slice(List<?> rows, int page, int size) {
        int from = Math.min(rows.size(), page * size);
        return rows.subList(from, Math.min(rows.size(), from + size));
    }

    static boolean hasNext(List<?> rows, int page, int size) {
        return rows.size() > (page + 1) * size;
    }

    static Object field(Object row, String name) {
        return row instanceof Map<?, ?> map ? map.get(name) : null;
    }

    /** Post/redirect/get: the outcome of an action travels as msg or err in the query. */
    static Response back(String path, Answer answer, String success) {
        String sep = path.contains("?") ? "&" : "?";
        String query = answer.ok() ? "msg=" + enc(success) : "err=" + enc(answer.error());
        return Response.seeOther(URI.create(path + sep + query)).build();
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }

    static int page(Integer page) {
        return page == null || page < 0 ? 0 : Math.min(page, 1_000_000);
    }
}
