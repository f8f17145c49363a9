package org.villagehomepage.payments.common.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/** The offset paging of the admin lists, as each service's paging test reads and checks it (as super_admin). */
public final class Paging {

    /** Oldest first. */
    public static final int ASCENDING = 1;
    /** Newest first. */
    public static final int DESCENDING = -1;

    private Paging() {}

    /**
     * Every row of the list at {@code path} with {@code query}, in pages of {@code size} by offset,
     * each page at most {@code size} rows. Stops after {@code maxRows}: an offset the server ignores
     * makes the test fail, not loop.
     */
    public static List<Map<String, Object>> everyPage(String path, Map<String, ?> query, int size, int maxRows) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int offset = 0; offset <= maxRows; offset += size) {
            List<Map<String, Object>> page = given().header("Authorization", Tokens.admin())
                    .queryParams(query)
                    .queryParam("offset", offset)
                    .queryParam("limit", size)
                    .get(path)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("$");
            assertThat(page.size()).isLessThanOrEqualTo(size);
            rows.addAll(page);
            if (page.size() < size) {
                break;
            }
        }
        return rows;
    }

    /**
     * Each row once (by {@code id}), ordered by {@code timeField} in {@code direction}
     * ({@link #ASCENDING} or {@link #DESCENDING}), ids ascending among equal times.
     */
    public static void assertOrdered(List<Map<String, Object>> rows, String timeField, int direction) {
        assertThat(new HashSet<>(rows.stream().map(r -> r.get("id")).toList())).hasSize(rows.size());
        for (int i = 1; i < rows.size(); i++) {
            Instant before = instant(rows.get(i - 1).get(timeField));
            Instant after = instant(rows.get(i).get(timeField));
            assertThat(Integer.signum(after.compareTo(before)) * direction)
                    .as("row %d by %s", i, timeField)
                    .isGreaterThanOrEqualTo(0);
            if (before.equals(after)) {
                assertThat((String) rows.get(i - 1).get("id"))
                        .isLessThan((String) rows.get(i).get("id"));
            }
        }
    }

    /**
     * Without an offset the list answers its first 100 rows, as before paging ({@code all} is every
     * page of the same list); a negative offset is a 400 problem.
     */
    public static void assertFirstPageAndNegativeOffset(
            String path, Map<String, ?> query, List<Map<String, Object>> all) {
        List<Object> first = given().header("Authorization", Tokens.admin())
                .queryParams(query)
                .get(path)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("id");
        assertThat(first)
                .hasSize(100)
                .isEqualTo(all.subList(0, 100).stream().map(r -> r.get("id")).toList());
        given().header("Authorization", Tokens.admin())
                .queryParams(query)
                .queryParam("offset", -1)
                .get(path)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    private static Instant instant(Object text) {
        return OffsetDateTime.parse((String) text).toInstant();
    }
}
