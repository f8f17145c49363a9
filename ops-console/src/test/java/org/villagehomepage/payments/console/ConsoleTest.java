package org.villagehomepage.payments.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Login, CSRF and the pages' failure path, with no service running (application.properties %test). */
@QuarkusTest
class ConsoleTest {

    private static final Pattern TOKEN = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    @BeforeAll
    static void devLoginKey() throws Exception {
        Path pem = Path.of("target/test-keys/private.pem");
        if (!Files.exists(pem)) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            String body = Base64.getMimeEncoder(64, "\n".getBytes())
                    .encodeToString(generator.generateKeyPair().getPrivate().getEncoded());
            Files.createDirectories(pem.getParent());
            Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
        }
    }

    @Test
    void pagesNeedALogin() {
        given().redirects()
                .follow(false)
                .get("/refunds")
                .then()
                .statusCode(303)
                .header("Location", containsString("/login"));
    }

    @Test
    void devLoginMintsAUserTokenAsTheServicesExpect() throws Exception {
        Response form = given().get("/login");
        form.then().statusCode(200);
        String csrf = token(form.asString());
        Response login = given().redirects()
                .follow(false)
                .cookie("console_csrf", form.cookie("console_csrf"))
                .formParams(Map.of("operator", "ops.alice", "role", "super_admin", "csrf-token", csrf))
                .post("/login");
        login.then().statusCode(303);
        String jwt = login.cookie("console_session");
        Map<?, ?> claims = new ObjectMapper().readValue(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), Map.class);
        assertThat(claims.get("iss")).isEqualTo("https://auth.payments.local");
        assertThat(claims.get("sub")).isEqualTo("ops.alice");
        assertThat(String.valueOf(claims.get("aud"))).contains("payments-api");
        assertThat(String.valueOf(claims.get("groups"))).contains("super_admin");
        assertThat(login.getDetailedCookie("console_session").isHttpOnly()).isTrue();
    }

    @Test
    void loginWithoutTheCsrfTokenIsRefused() {
        Response form = given().get("/login");
        given().redirects()
                .follow(false)
                .cookie("console_csrf", form.cookie("console_csrf"))
                .formParams(Map.of("operator", "ops.alice", "role", "super_admin"))
                .post("/login")
                .then()
                .statusCode(403);
        given().redirects()
                .follow(false)
                .cookie("console_csrf", form.cookie("console_csrf"))
                .formParams(Map.of("operator", "ops.alice", "role", "super_admin", "csrf-token", "x".repeat(43)))
                .post("/login")
                .then()
                .statusCode(403);
    }

    @Test
    void anActionWithoutTheCsrfTokenIsRefused() {
        Session s = login("super_admin");
        given().redirects()
                .follow(false)
                .cookie("console_session", s.session)
                .cookie("console_csrf", s.csrf)
                .formParams(Map.of("note", "forged"))
                .post("/refunds/" + UUID.randomUUID() + "/reject")
                .then()
                .statusCode(403);
    }

    @Test
    void aReadOnlyOperatorCannotAct() {
        Session s = login("read-only");
        given().redirects()
                .follow(false)
                .cookie("console_session", s.session)
                .cookie("console_csrf", s.csrf)
                .formParams(Map.of("note", "no", "csrf-token", s.csrf))
                .post("/refunds/" + UUID.randomUUID() + "/reject")
                .then()
                .statusCode(403);
    }

    @Test
    void anUnreachableServiceIsShownNotThrown() {
        Session s = login("super_admin");
        given().cookie("console_session", s.session)
                .get("/refunds?status=pending")
                .then()
                .statusCode(200)
                .body(containsString("refund-service unreachable"));
        given().cookie("console_session", s.session)
                .get("/")
                .then()
                .statusCode(200)
                .body(containsString("down"));
    }

    @Test
    void startupRefusesTheDevLoginOutsideALocalRun() {
        assertThat(org.villagehomepage.payments.console.auth.StartupCheckAccess.problem(true, true, "127.0.0.1"))
                .contains("OIDC");
        assertThat(org.villagehomepage.payments.console.auth.StartupCheckAccess.problem(true, false, "0.0.0.0"))
                .contains("loopback");
        assertThat(org.villagehomepage.payments.console.auth.StartupCheckAccess.problem(false, false, "0.0.0.0"))
                .contains("no login");
        assertThat(org.villagehomepage.payments.console.auth.StartupCheckAccess.problem(true, false, "127.0.0.1"))
                .isNull();
        assertThat(org.villagehomepage.payments.console.auth.StartupCheckAccess.problem(false, true, "0.0.0.0"))
                .isNull();
    }

    private record Session(String session, String csrf) {}

    private static Session login(String role) {
        Response form = given().get("/login");
        String csrf = token(form.asString());
        Response login = given().redirects()
                .follow(false)
                .cookie("console_csrf", form.cookie("console_csrf"))
                .formParams(Map.of("operator", "ops.test", "role", role, "csrf-token", csrf))
                .post("/login");
        return new Session(login.cookie("console_session"), form.cookie("console_csrf"));
    }

    private static String token(String html) {
        Matcher m = TOKEN.matcher(html);
        assertThat(m.find()).as("csrf field in the form").isTrue();
        return new String(m.group(1).getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }
}
