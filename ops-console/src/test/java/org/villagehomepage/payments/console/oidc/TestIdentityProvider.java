package org.villagehomepage.payments.console.oidc;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;

/**
 * An OpenID provider and a stub of the services' admin APIs, in the test's JVM (quarkus-test-oidc-server
 * is not available offline). The provider is the organisation's IdP as deploy/README.md registers it:
 * confidential client "ops-console" with its secret, scope and audience "payments-api", operators'
 * roles in the access token's "groups". It serves discovery, JWKS, a login page at /authorize (the
 * operator picks who they are), /token (authorization code, client_secret_basic, single use) and
 * end_session. /test/issued and the stub's /test/calls let the test compare what the provider issued
 * with what reached the services.
 *
 * <p>The console gets exactly the variables the production ConfigMap (deploy/k8s/base/ops-console.yaml)
 * sets, with the URLs pointed here, the client secret the Secret would hold, and loopback added to the
 * trusted proxies (the test plays the ingress controller).
 */
public class TestIdentityProvider implements QuarkusTestResourceLifecycleManager {

    static final String CLIENT_ID = "ops-console";
    static final String CLIENT_SECRET = "test-client-secret-0123456789abcdefghijklmnop";
    static final String AUDIENCE = "payments-api";
    static final String CONFIG_MAP = "../deploy/k8s/base/ops-console.yaml";

    /** The operators the IdP knows and their groups: one super_admin, one without. */
    static final Map<String, List<String>> OPERATORS =
            Map.of("ops.alice", List.of("super_admin"), "ops.bob", List.of("user"));

    private static final Pattern CONFIG_ENTRY =
            Pattern.compile("^\\s+((?:CONSOLE|QUARKUS_HTTP_PROXY)_[A-Z_]+):\\s*\"([^\"]*)\"\\s*$");

    private Vertx vertx;
    private RsaJsonWebKey key;
    private String issuer;
    private final Map<String, JsonObject> pendingLogins = new ConcurrentHashMap<>();
    private final Map<String, JsonObject> codes = new ConcurrentHashMap<>();
    private final JsonArray issued = new JsonArray(new CopyOnWriteArrayList<>());
    private final JsonArray logouts = new JsonArray(new CopyOnWriteArrayList<>());
    private final JsonArray calls = new JsonArray(new CopyOnWriteArrayList<>());

    @Override
    public Map<String, String> start() {
        try {
            key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId("test-idp-1");
            key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            vertx = Vertx.vertx();
            HttpServer idp = listen(identityProvider());
            issuer = "http://127.0.0.1:" + idp.actualPort() + "/realms/payments";
            HttpServer services = listen(services());
            String servicesUrl = "http://127.0.0.1:" + services.actualPort();

            Map<String, String> env = new HashMap<>(productionConfigMap());
            env.put("CONSOLE_OIDC_AUTH_SERVER_URL", issuer);
            env.put("CONSOLE_OIDC_CLIENT_SECRET", CLIENT_SECRET);
            for (String service : List.of("CHECKOUT", "WEBHOOK", "REFUND", "AUDIT")) {
                env.put("CONSOLE_" + service + "_URL", servicesUrl);
            }
            // The test is the ingress controller: it connects from loopback.
            env.put(
                    "quarkus.http.proxy.trusted-proxies",
                    "127.0.0.1," + env.remove("quarkus.http.proxy.trusted-proxies"));
            env.put("console.services.timeout-millis", "5000");
            return env;
        } catch (Exception e) {
            throw new IllegalStateException("test identity provider did not start", e);
        }
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }

    /** The CONSOLE_* entries of the production ConfigMap: the client id and scopes come from there. */
    static Map<String, String> productionConfigMap() throws Exception {
        Map<String, String> entries = new HashMap<>();
        for (String line : Files.readAllLines(Path.of(CONFIG_MAP))) {
            Matcher m = CONFIG_ENTRY.matcher(line);
            if (m.matches()) {
                // The proxy settings by their property names (the env-name mapping is the environment's).
                String name = m.group(1).startsWith("QUARKUS_")
                        ? "quarkus.http.proxy."
                                + m.group(1)
                                        .substring("QUARKUS_HTTP_PROXY_".length())
                                        .toLowerCase()
                                        .replace('_', '-')
                        : m.group(1);
                entries.put(name, m.group(2));
            }
        }
        for (String required :
                List.of("CONSOLE_OIDC_AUTH_SERVER_URL", "CONSOLE_OIDC_CLIENT_ID", "CONSOLE_OIDC_SCOPES")) {
            if (!entries.containsKey(required)) {
                throw new IllegalStateException(required + " not found in " + CONFIG_MAP);
            }
        }
        return entries;
    }

    private HttpServer listen(Router router) throws Exception {
        return vertx.createHttpServer()
                .requestHandler(router)
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    private Router identityProvider() {
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create());
        String realm = "/realms/payments";
        router.get(realm + "/.well-known/openid-configuration")
                .handler(ctx -> json(
                        ctx,
                        200,
                        new JsonObject()
                                .put("issuer", issuer)
                                .put("authorization_endpoint", issuer + "/authorize")
                                .put("token_endpoint", issuer + "/token")
                                .put("jwks_uri", issuer + "/jwks")
                                .put("end_session_endpoint", issuer + "/logout")
                                .put("response_types_supported", new JsonArray().add("code"))
                                .put("subject_types_supported", new JsonArray().add("public"))
                                .put("id_token_signing_alg_values_supported", new JsonArray().add("RS256"))
                                .put(
                                        "token_endpoint_auth_methods_supported",
                                        new JsonArray().add("client_secret_basic"))));
        router.get(realm + "/jwks")
                .handler(ctx -> ctx.response()
                        .putHeader("Content-Type", "application/json")
                        .end("{\"keys\":[" + key.toJson() + "]}"));
        router.get(realm + "/authorize").handler(this::authorize);
        router.post(realm + "/login").handler(this::login);
        router.post(realm + "/token").handler(this::token);
        router.get(realm + "/logout").handler(ctx -> {
            logouts.add(new JsonObject().put("id_token_hint", ctx.request().getParam("id_token_hint")));
            ctx.response().end("signed out");
        });
        router.get("/test/issued").handler(ctx -> json(ctx, 200, new JsonObject().put("issued", issued)));
        router.get("/test/logouts").handler(ctx -> json(ctx, 200, new JsonObject().put("logouts", logouts)));
        return router;
    }

    /** The authorization request: checked as a real IdP would, then its login page. */
    private void authorize(RoutingContext ctx) {
        String clientId = ctx.request().getParam("client_id");
        String redirectUri = ctx.request().getParam("redirect_uri");
        String scope = ctx.request().getParam("scope", "");
        List<String> scopes = List.of(scope.split(" "));
        String problem = null;
        if (!"code".equals(ctx.request().getParam("response_type"))) {
            problem = "unsupported_response_type";
        } else if (!CLIENT_ID.equals(clientId)) {
            problem = "unauthorized_client";
        } else if (redirectUri == null || !URI.create(redirectUri).isAbsolute()) {
            problem = "invalid_redirect_uri";
        } else if (!scopes.contains("openid") || !scopes.contains(AUDIENCE)) {
            problem = "invalid_scope";
        } else if (ctx.request().getParam("state") == null) {
            problem = "state_required";
        }
        if (problem != null) {
            ctx.response().setStatusCode(400).end(problem);
            return;
        }
        String request = UUID.randomUUID().toString();
        pendingLogins.put(
                request,
                new JsonObject()
                        .put("redirect_uri", redirectUri)
                        .put("state", ctx.request().getParam("state"))
                        .put("nonce", ctx.request().getParam("nonce"))
                        .put("scope", scope));
        ctx.response()
                .putHeader("Content-Type", "text/html")
                .end("<form method=post action=\"login\"><input type=hidden name=request value=\"" + request
                        + "\"><input name=username><button>Sign in</button></form>");
    }

    /** The operator signs in: back to the client with a single-use code and the client's state. */
    private void login(RoutingContext ctx) {
        JsonObject pending = pendingLogins.remove(ctx.request().getFormAttribute("request"));
        String username = ctx.request().getFormAttribute("username");
        if (pending == null || !OPERATORS.containsKey(username)) {
            ctx.response().setStatusCode(400).end("unknown login request or user");
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, pending.copy().put("username", username));
        ctx.response()
                .setStatusCode(302)
                .putHeader(
                        "Location",
                        pending.getString("redirect_uri")
                                + (pending.getString("redirect_uri").contains("?") ? "&" : "?") + "code=" + code
                                + "&state=" + enc(pending.getString("state")))
                .end();
    }

    private void token(RoutingContext ctx) {
        String basic = "Basic "
                + Base64.getEncoder()
                        .encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        if (!basic.equals(ctx.request().getHeader("Authorization"))) {
            json(ctx, 401, new JsonObject().put("error", "invalid_client"));
            return;
        }
        JsonObject grant = codes.remove(ctx.request().getFormAttribute("code"));
        if (!"authorization_code".equals(ctx.request().getFormAttribute("grant_type"))
                || grant == null
                || !grant.getString("redirect_uri").equals(ctx.request().getFormAttribute("redirect_uri"))) {
            json(ctx, 400, new JsonObject().put("error", "invalid_grant"));
            return;
        }
        String username = grant.getString("username");
        try {
            // The access token is what the services verify (payments-config MP_JWT_VERIFY_*): audience
            // payments-api, the operator as subject and upn, roles in groups. The ID token is the
            // console's own (audience = its client id) and carries no roles.
            JwtClaims access = claims(username);
            access.setAudience(AUDIENCE);
            access.setClaim("upn", username);
            access.setClaim("azp", CLIENT_ID);
            access.setClaim("scope", grant.getString("scope"));
            access.setStringListClaim("groups", OPERATORS.get(username));
            JwtClaims id = claims(username);
            id.setAudience(CLIENT_ID);
            id.setClaim("preferred_username", username);
            if (grant.getString("nonce") != null) {
                id.setClaim("nonce", grant.getString("nonce"));
            }
            String accessToken = sign(access);
            String idToken = sign(id);
            issued.add(new JsonObject()
                    .put("username", username)
                    .put("access_token", accessToken)
                    .put("id_token", idToken));
            json(
                    ctx,
                    200,
                    new JsonObject()
                            .put("access_token", accessToken)
                            .put("id_token", idToken)
                            .put("token_type", "Bearer")
                            .put("expires_in", 3600)
                            .put("scope", grant.getString("scope")));
        } catch (Exception e) {
            json(ctx, 500, new JsonObject().put("error", "server_error"));
        }
    }

    private JwtClaims claims(String username) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject(username);
        claims.setGeneratedJwtId();
        claims.setIssuedAtToNow();
        claims.setExpirationTime(org.jose4j.jwt.NumericDate.fromSeconds(
                Instant.now().plusSeconds(3600).getEpochSecond()));
        return claims;
    }

    private String sign(JwtClaims claims) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        return jws.getCompactSerialization();
    }

    /**
     * The four services' admin APIs, reduced to what the test drives: every call is recorded with its
     * Authorization header; the refund list is empty, a decision succeeds.
     */
    private Router services() {
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create());
        router.get("/test/calls").handler(ctx -> json(ctx, 200, new JsonObject().put("calls", calls)));
        router.route("/admin/*").handler(ctx -> {
            calls.add(new JsonObject()
                    .put("method", ctx.request().method().name())
                    .put("uri", ctx.request().uri())
                    .put("authorization", ctx.request().getHeader("Authorization")));
            ctx.next();
        });
        router.get("/admin/api/marketplace/refunds")
                .handler(ctx -> ctx.response()
                        .putHeader("Content-Type", "application/json")
                        .end("[]"));
        router.post("/admin/api/marketplace/refunds/:id/approve")
                .handler(ctx -> json(
                        ctx,
                        200,
                        new JsonObject().put("id", ctx.pathParam("id")).put("status", "approved")));
        router.route("/admin/*").handler(ctx -> json(ctx, 404, new JsonObject().put("title", "Not Found")));
        return router;
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body.encode());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
