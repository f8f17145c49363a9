package org.villagehomepage.payments.console.oidc;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.Cookie;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The production login path end to end: the console in the prod profile with the production
 * ConfigMap's OIDC settings, against an in-test OpenID provider (TestIdentityProvider). Redirects are
 * followed by hand with a cookie jar per host, as a browser would: page -> the provider's login ->
 * back with code and state -> session cookie -> page. Then what the session grants: pages for any
 * operator, actions for super_admin only and only with the CSRF token, and every call to a service
 * carrying the access token the provider issued to that operator (so the services check the role and
 * audit the operator). The dev login does not exist here.
 */
@QuarkusTest
@TestProfile(ProductionLogin.class)
class ProductionLoginTest {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");
    private static final Pattern LOGIN_REQUEST = Pattern.compile("name=request value=\"([^\"]+)\"");

    @TestHTTPResource("/")
    URL console;

    @Test
    void anOperatorLogsInThroughTheIdentityProviderAndThePageNamesThem() {
        Browser browser = new Browser();
        assertThat(console.getHost())
                .as("console and provider on different sites")
                .isNotEqualTo(URI.create(issuer()).getHost());
        Response challenge = browser.get(url("/refunds?status=pending"));

        // Not logged in: to the provider's authorization endpoint, as the production client.
        assertThat(challenge.statusCode()).isEqualTo(302);
        URI authorize = URI.create(challenge.header("Location"));
        assertThat(authorize.toString()).startsWith(issuer() + "/authorize?");
        Map<String, String> query = query(authorize);
        assertThat(query).containsEntry("response_type", "code").containsEntry("client_id", "ops-console");
        assertThat(List.of(query.get("scope").split(" "))).contains("openid", "payments-api");
        assertThat(query.get("redirect_uri")).startsWith(url("/refunds"));
        assertThat(query.get("state")).isNotBlank();

        Response callback = browser.signIn(challenge, "ops.alice");
        assertThat(callback.statusCode()).isEqualTo(302);
        assertThat(callback.header("Location")).startsWith(query.get("redirect_uri") + "?code=");
        assertThat(callback.header("Location")).contains("state=" + query.get("state"));

        // The code is exchanged; the session cookie is set and the original page is restored.
        Response landed = browser.follow(callback);
        assertThat(landed.statusCode()).isEqualTo(302);
        assertThat(landed.header("Location")).isEqualTo(url("/refunds?status=pending"));
        Cookie session = landed.getDetailedCookie("q_session");
        assertThat(session).as("OIDC session cookie").isNotNull();
        assertThat(session.isHttpOnly()).isTrue();

        // Still the navigation the provider's page started (a Strict session cookie is withheld here).
        Response page = browser.follow(landed);
        assertThat(page.statusCode()).as("the restored page, in the session").isEqualTo(200);
        assertThat(page.asString()).contains("<span data-testid=\"operator\">ops.alice</span>");
        assertThat(page.asString()).doesNotContain("(read-only)");

        // The refund list was read with alice's access token (not the ID token, not anyone else's).
        Map<String, String> tokens = issuedTo("ops.alice");
        assertThat(authorizationOf("GET", "/admin/api/marketplace/refunds?", "status=pending"))
                .containsOnly("Bearer " + tokens.get("access_token"));
        assertThat(tokens.get("access_token")).isNotEqualTo(tokens.get("id_token"));
    }

    @Test
    void behindTheIngressTheLoginStaysOnTheOperatorsHttpsHostWithSecureCookies() {
        // The production ConfigMap's proxy settings, the test as the ingress controller (Host kept,
        // X-Forwarded-Proto https): the provider must send the operator back to the registered
        // https://ops.pay.village-homepage.example/*, and no cookie may travel over plain http.
        Browser browser = new Browser().behindIngress("ops.pay.village-homepage.example");
        Response challenge = browser.get(browser.publicUrl("/refunds"));
        assertThat(challenge.statusCode()).isEqualTo(302);
        assertThat(query(URI.create(challenge.header("Location"))))
                .containsEntry("redirect_uri", "https://ops.pay.village-homepage.example/refunds");
        assertThat(challenge.getDetailedCookies().asList())
                .as("state cookie")
                .isNotEmpty()
                .allMatch(Cookie::isSecured);

        Response landed = browser.follow(browser.signIn(challenge, "ops.alice"));
        assertThat(landed.statusCode()).isEqualTo(302);
        assertThat(landed.header("Location")).isEqualTo("https://ops.pay.village-homepage.example/refunds");
        Cookie session = landed.getDetailedCookie("q_session");
        assertThat(session.isSecured()).isTrue();
        assertThat(session.isHttpOnly()).isTrue();

        Response page = browser.follow(landed);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.asString()).contains("<span data-testid=\"operator\">ops.alice</span>");
        Cookie csrf = page.getDetailedCookie("console_csrf");
        assertThat(csrf).as("CSRF cookie").isNotNull();
        assertThat(csrf.isSecured()).as("CSRF cookie Secure").isTrue();
        assertThat(csrf.isHttpOnly()).isTrue();
    }

    @Test
    void aLinkFromAnotherSiteOpensThePageInTheOperatorsSession() {
        Browser browser = new Browser();
        browser.logIn("ops.alice", url("/refunds"));

        // An alert or a chat message links to a refund list: the session holds, no new login.
        Response page = browser.linkFrom("grafana.example", url("/refunds?status=failed"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.asString()).contains("<span data-testid=\"operator\">ops.alice</span>");
    }

    @Test
    void aSuperAdminsActionCarriesTheirAccessTokenAndNeedsTheCsrfToken() {
        Browser browser = new Browser();
        browser.logIn("ops.alice", url("/refunds"));
        String accessToken = issuedTo("ops.alice").get("access_token");
        Response page = browser.get(url("/refunds"));
        String csrf = csrf(page);

        UUID refund = UUID.randomUUID();
        String approve = "/admin/api/marketplace/refunds/" + refund + "/approve";
        Response forged = browser.post(url("/refunds/" + refund + "/approve"), Map.of("note", "ok"));
        assertThat(forged.statusCode()).as("action without the CSRF token").isEqualTo(403);
        Response wrong = browser.post(
                url("/refunds/" + refund + "/approve"), Map.of("note", "ok", "csrf-token", "x".repeat(43)));
        assertThat(wrong.statusCode()).as("action with another CSRF token").isEqualTo(403);
        assertThat(authorizationOf("POST", approve, ""))
                .as("refused before any call")
                .isEmpty();

        Response approved =
                browser.post(url("/refunds/" + refund + "/approve"), Map.of("note", "ok", "csrf-token", csrf));
        assertThat(approved.statusCode()).isEqualTo(303);
        assertThat(approved.header("Location")).contains("/refunds/" + refund).contains("msg=");
        assertThat(authorizationOf("POST", approve, "")).containsExactly("Bearer " + accessToken);
        assertThat(claims(accessToken))
                .containsEntry("sub", "ops.alice")
                .containsEntry("aud", "payments-api")
                .containsEntry("groups", List.of("super_admin"));
    }

    @Test
    void anOperatorWithoutSuperAdminSeesThePagesButCannotAct() {
        Browser browser = new Browser();
        browser.logIn("ops.bob", url("/refunds?status=failed"));
        String accessToken = issuedTo("ops.bob").get("access_token");

        Response page = browser.get(url("/refunds?status=failed"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.asString()).contains("<span data-testid=\"operator\">ops.bob</span> <em>(read-only)</em>");
        // Reads go to the services with bob's own token: each service decides what bob may read.
        assertThat(authorizationOf("GET", "/admin/api/marketplace/refunds?", "status=failed"))
                .contains("Bearer " + accessToken);

        UUID refund = UUID.randomUUID();
        Response refused =
                browser.post(url("/refunds/" + refund + "/approve"), Map.of("note", "ok", "csrf-token", csrf(page)));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(authorizationOf("POST", "/admin/api/marketplace/refunds/" + refund + "/approve", ""))
                .isEmpty();
    }

    @Test
    void theDevLoginDoesNotExistInProduction() {
        // Without a session even /login is the provider's.
        Browser anonymous = new Browser();
        Response login = anonymous.get(url("/login"));
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.header("Location")).startsWith(issuer() + "/authorize?");

        // A dev-login cookie (what the local login would mint: super_admin for ops.mallory) is no session.
        String body = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(("{\"sub\":\"ops.mallory\",\"groups\":[\"super_admin\"],\"exp\":"
                                + (System.currentTimeMillis() / 1000 + 3600) + "}")
                        .getBytes(StandardCharsets.UTF_8));
        Response forged = given().redirects()
                .follow(false)
                .cookie("console_session", "eyJhbGciOiJub25lIn0." + body + ".x")
                .get(url("/refunds"));
        assertThat(forged.statusCode()).isEqualTo(302);
        assertThat(forged.header("Location")).startsWith(issuer() + "/authorize?");

        // Logged in through the provider: the form and its POST answer 404 and mint nothing.
        Browser browser = new Browser();
        browser.logIn("ops.alice", url("/refunds"));
        String csrf = csrf(browser.get(url("/refunds")));
        assertThat(browser.get(url("/login")).statusCode()).isEqualTo(404);
        Response minted = browser.post(
                url("/login"), Map.of("operator", "ops.mallory", "role", "super_admin", "csrf-token", csrf));
        assertThat(minted.statusCode()).isEqualTo(404);
        assertThat(minted.getDetailedCookie("console_session")).isNull();
    }

    @Test
    void logoutEndsTheSessionAtTheProvider() {
        Browser browser = new Browser();
        browser.logIn("ops.alice", url("/refunds"));
        String idToken = issuedTo("ops.alice").get("id_token");
        String csrf = csrf(browser.get(url("/refunds")));

        Response logout = browser.post(url("/logout"), Map.of("csrf-token", csrf));
        assertThat(logout.statusCode()).isEqualTo(302);
        URI endSession = URI.create(logout.header("Location"));
        assertThat(endSession.toString()).startsWith(issuer() + "/logout?");
        assertThat(query(endSession)).containsEntry("id_token_hint", idToken);
        assertThat(browser.has("q_session")).as("session cookie removed").isFalse();

        Response after = browser.get(url("/refunds"));
        assertThat(after.statusCode()).isEqualTo(302);
        assertThat(after.header("Location")).startsWith(issuer() + "/authorize?");
    }

    // --- the provider's and the stub's records -------------------------------------------------

    private static String issuer() {
        return ConfigProvider.getConfig().getValue("CONSOLE_OIDC_AUTH_SERVER_URL", String.class);
    }

    private static String providerRoot() {
        URI issuer = URI.create(issuer());
        return issuer.getScheme() + "://" + issuer.getAuthority();
    }

    /** The last tokens the provider issued to this operator. */
    private static Map<String, String> issuedTo(String username) {
        List<Map<String, String>> issued = JsonPath.from(
                        given().get(providerRoot() + "/test/issued").asString())
                .getList("issued");
        Map<String, String> last = null;
        for (Map<String, String> entry : issued) {
            if (username.equals(entry.get("username"))) {
                last = entry;
            }
        }
        assertThat(last).as("tokens issued to " + username).isNotNull();
        return last;
    }

    /** The Authorization headers of the calls the services received for this method and URI. */
    private static List<String> authorizationOf(String method, String uriPrefix, String uriContains) {
        String services = ConfigProvider.getConfig().getValue("CONSOLE_REFUND_URL", String.class);
        List<Map<String, String>> calls =
                JsonPath.from(given().get(services + "/test/calls").asString()).getList("calls");
        return calls.stream()
                .filter(c -> c.get("method").equals(method)
                        && c.get("uri").startsWith(uriPrefix)
                        && c.get("uri").contains(uriContains))
                .map(c -> c.get("authorization"))
                .toList();
    }

    private static Map<String, Object> claims(String jwt) {
        return JsonPath.from(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8))
                .getMap("");
    }

    private String url(String path) {
        String base = console.toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
    }

    private static String csrf(Response page) {
        Matcher m = CSRF.matcher(page.asString());
        assertThat(m.find()).as("csrf field on the page").isTrue();
        return m.group(1);
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> params = new HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            params.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    /**
     * Redirects by hand, so each step's status and Location can be asserted, with cookies as a browser
     * keeps them: per host:port as the server set them (gone when it expires them), and sent by the
     * SameSite rule of Chromium and Firefox: a Strict cookie only when the navigation was not started
     * by a page of another site (the provider's login form, a link elsewhere), through all of its
     * redirects; Lax (the default) on any top-level navigation. The console (localhost) and the
     * provider (127.0.0.1) are different sites, as they are in production.
     */
    private final class Browser {

        private record StoredCookie(String value, String sameSite) {}

        private final Map<String, Map<String, StoredCookie>> jar = new HashMap<>();
        /** The site of the page that started the current navigation; null: typed in the address bar. */
        private String initiator;
        /** The console's public https host, when the browser reaches it through the Ingress. */
        private String publicHost;

        /**
         * Reaches the console as https://{host}/ through an ingress controller that terminates TLS and
         * forwards as the production one does (Host kept, X-Forwarded-Proto, -Host, -Port, from a trusted
         * proxy).
         */
        Browser behindIngress(String host) {
            publicHost = host;
            return this;
        }

        String publicUrl(String path) {
            return "https://" + publicHost + path;
        }

        /** Typed in the address bar. */
        Response get(String url) {
            initiator = null;
            return remember(url, spec(url).get(target(url)));
        }

        /** A link on a page of another site (an alert, a chat message, the provider). */
        Response linkFrom(String site, String url) {
            initiator = site;
            return remember(url, spec(url).get(target(url)));
        }

        /** The redirect of the last response, in the same navigation. */
        Response follow(Response redirect) {
            String url = redirect.header("Location");
            assertThat(url).as("redirect").isNotNull();
            return remember(url, spec(url).get(target(url)));
        }

        /** A form on a page of the target's own site. */
        Response post(String url, Map<String, String> form) {
            initiator = site(url);
            return remember(url, spec(url).formParams(form).post(target(url)));
        }

        boolean has(String cookie) {
            return jar.values().stream().anyMatch(cookies -> cookies.containsKey(cookie));
        }

        /** At the provider's login page: sign in as the operator; the provider's redirect back. */
        Response signIn(Response challenge, String username) {
            Response form = follow(challenge);
            assertThat(form.statusCode()).as("provider's login page").isEqualTo(200);
            Matcher m = LOGIN_REQUEST.matcher(form.asString());
            assertThat(m.find()).isTrue();
            String login =
                    URI.create(challenge.header("Location")).resolve("login").toString();
            return post(login, Map.of("request", m.group(1), "username", username));
        }

        /** The whole flow from a page to that page served under a session. */
        void logIn(String username, String page) {
            Response challenge = get(page);
            assertThat(challenge.statusCode()).isEqualTo(302);
            Response landed = follow(signIn(challenge, username));
            assertThat(landed.statusCode()).isEqualTo(302);
            assertThat(has("q_session")).isTrue();
            assertThat(follow(landed).statusCode()).as("the page, logged in").isEqualTo(200);
        }

        private RequestSpecification spec(String url) {
            Map<String, String> send = new HashMap<>();
            jar.getOrDefault(origin(url), Map.of()).forEach((name, cookie) -> {
                if (!"strict".equalsIgnoreCase(cookie.sameSite()) || initiator == null || initiator.equals(site(url))) {
                    send.put(name, cookie.value());
                }
            });
            // The URLs are the servers' own, already encoded.
            RequestSpecification spec =
                    given().urlEncodingEnabled(false).redirects().follow(false).cookies(send);
            if (isPublic(url)) {
                // nginx-ingress passes the Host on and adds the X-Forwarded-* headers.
                spec.header("Host", publicHost)
                        .header("X-Forwarded-Proto", "https")
                        .header("X-Forwarded-Host", publicHost)
                        .header("X-Forwarded-Port", "443");
            }
            return spec;
        }

        private boolean isPublic(String url) {
            return publicHost != null && publicHost.equals(URI.create(url).getHost());
        }

        /** Where the request really goes: through the ingress to the console, or straight there. */
        private String target(String url) {
            if (!isPublic(url)) {
                return url;
            }
            URI uri = URI.create(url);
            return url(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        }

        private Response remember(String url, Response response) {
            Map<String, StoredCookie> cookies = jar.computeIfAbsent(origin(url), o -> new LinkedHashMap<>());
            for (Cookie cookie : response.getDetailedCookies()) {
                if (cookie.getMaxAge() == 0 || cookie.getValue().isEmpty()) {
                    cookies.remove(cookie.getName());
                } else {
                    cookies.put(
                            cookie.getName(),
                            new StoredCookie(cookie.getValue(), cookie.hasSameSite() ? cookie.getSameSite() : "Lax"));
                }
            }
            return response;
        }

        private static String origin(String url) {
            return URI.create(url).getAuthority();
        }

        private static String site(String url) {
            return URI.create(url).getHost();
        }
    }
}
