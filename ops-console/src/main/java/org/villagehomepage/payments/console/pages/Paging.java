package org.villagehomepage.payments.console.pages;

import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.villagehomepage.payments.console.client.Answer;

/** Slicing and redirect helpers shared by the pages. */
final class Paging {

    private Paging() {}

    /**
     * The list services' {@code offset} and {@code limit} for page {@code page} (0-based): the page's
     * rows and one more, to know whether a next page exists. The services page at any depth.
     */
    static String window(int page, int size) {
        return "offset=" + ((long) page * size) + "&limit=" + (size + 1);
    }

    static List<?> rows(Answer answer) {
        return answer.body() instanceof List<?> list ? list : List.of();
    }

    /** The page itself: the rows of a {@link #window} answer without the look-ahead row. */
    static List<?> slice(List<?> rows, int size) {
        return rows.subList(0, Math.min(rows.size(), size));
    }

    static boolean hasNext(List<?> rows, int size) {
        return rows.size() > size;
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
        return page == null || page < 0 ? 0 : Math.min(page, 10_000_000);
    }
}
