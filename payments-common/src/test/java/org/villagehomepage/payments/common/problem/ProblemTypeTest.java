package org.villagehomepage.payments.common.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ProblemTypeTest {

    private static final Pattern ROW =
            Pattern.compile("^\\| `([A-Z_]+)` \\| `([a-z-]+)` \\| (\\d{3}) \\|", Pattern.MULTILINE);

    @Test
    void docsListEveryTypeWithItsSlugAndStatus() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "problems.md"));
        Map<String, String> documented = new TreeMap<>();
        Matcher m = ROW.matcher(doc);
        while (m.find()) {
            documented.put(m.group(1), m.group(2) + " " + m.group(3));
        }
        Map<String, String> declared = Arrays.stream(ProblemType.values())
                .collect(Collectors.toMap(Enum::name, t -> t.slug() + " " + t.status(), (a, b) -> a, TreeMap::new));
        assertThat(documented).isEqualTo(declared);
    }

    @Test
    void slugsAreUniqueButForTheProviderPair() {
        Map<String, Long> bySlug = Arrays.stream(ProblemType.values())
                .collect(Collectors.groupingBy(ProblemType::slug, Collectors.counting()));
        bySlug.values().removeIf(count -> count == 1);
        assertThat(bySlug).isEqualTo(Map.of("payment-provider-unavailable", 2L));
    }

    @Test
    void bodyCarriesTheTypesUrnTitleAndStatus() {
        Problem problem = Problem.of(ProblemType.BUMP_TOO_SOON, "detail", "/api/x", "rid");
        assertThat(problem.type()).isEqualTo("urn:problem:payments:bump-too-soon");
        assertThat(problem.status()).isEqualTo(409);
        assertThat(problem.title()).isEqualTo("Conflict");
        assertThat(Problem.of(ProblemType.UNKNOWN_CATEGORY, "d", "/", null).title())
                .isEqualTo("Unprocessable Content");
    }

    @Test
    void frameworkStatusesMapToTheirGenericTypes() {
        for (int status : Set.of(400, 401, 403, 404, 405, 406, 409, 413, 415, 429)) {
            assertThat(ProblemType.forStatus(status))
                    .get()
                    .extracting(ProblemType::status)
                    .isEqualTo(status);
        }
        assertThat(ProblemType.forStatus(410)).isEmpty();
        assertThat(Problem.untyped(410, "gone", "/", null).type()).isEqualTo("urn:problem:payments:error");
    }
}
