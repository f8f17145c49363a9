package org.villagehomepage.payments.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The request pipeline of {@code /v1}: auth, fault decision, idempotency, latency, then either an
 * injected fault or the real handler (whose answer may still be "lost" after taking effect).
 */
final class ApiHandler implements Handler<RoutingContext> {
    private static final System.Logger LOG = System.getLogger(ApiHandler.class.getName());

    private final Vertx vertx;
    private final StripeApi api;
    private final FaultSettings faults;
    private final IdempotencyStore idempotency;
    private final IdGenerator ids;

    ApiHandler(Vertx vertx, StripeApi api, FaultSettings faults, IdempotencyStore idempotency, IdGenerator ids) {
        this.vertx = vertx;
        this.api = api;
        this.faults = faults;
        this.idempotency = idempotency;
        this.ids = ids;
    }

    @Override
    public void handle(RoutingContext rc) {
        HttpServerRequest req = rc.request();
        String method = req.method().name();
        String path = req.path();
        String requestId = "req_" + ids.random(14);
        rc.response().putHeader("Request-Id", requestId);
        rc.response().putHeader("Stripe-Version", StripeEmulator.API_VERSION);

        String apiKey = apiKey(req);
        if (apiKey == null) {
            String message = req.getHeader("Authorization") == null
                    ? "You did not provide an API key. You need to provide your API key in the Authorization header, "
                            + "using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."
                    : "Invalid API Key provided. The emulator accepts keys starting with sk_test_ or rk_test_.";
            send(rc, new ApiException(401, "invalid_request_error", null, message, null));
            return;
        }
        StripeApi.Match match = api.match(method, path);
        if (match == null) {
            send(
                    rc,
                    new ApiException(
                            404,
                            "invalid_request_error",
                            null,
                            "Unrecognized request URL (" + method + ": " + path + ").",
                            null));
            return;
        }
        ObjectNode params;
        try {
            params = FormParser.parse(req.query());
            if (method.equals("POST") || method.equals("DELETE")) {
                params.setAll(FormParser.parse(RawBody.text(rc)));
            }
        } catch (ApiException e) {
            send(rc, e);
            return;
        }
        FaultSettings.Decision decision = faults.decide(method, path);
        String key = method.equals("POST") ? req.getHeader("Idempotency-Key") : null;
        IdempotencyStore.Begin begin = null;
        if (key != null && !key.isEmpty()) {
            rc.response().putHeader("Idempotency-Key", key);
            ObjectNode fingerprint = Json.object();
            fingerprint.put("method", method);
            fingerprint.put("path", path);
            fingerprint.set("params", params);
            begin = idempotency.begin(apiKey, key, fingerprint);
            if (begin.kind() == IdempotencyStore.Kind.MISMATCH) {
                send(
                        rc,
                        new ApiException(
                                400,
                                "idempotency_error",
                                null,
                                "Keys for idempotent requests can only be "
                                        + "used with the same parameters they were first used with. Try using a key other than '"
                                        + key + "' if you meant to execute a different request.",
                                null));
                return;
            }
            if (begin.kind() == IdempotencyStore.Kind.IN_FLIGHT) {
                send(
                        rc,
                        new ApiException(
                                409,
                                "idempotency_error",
                                null,
                                "There is currently another in-progress "
                                        + "request using this Stripe-Idempotency-Key (concurrent request). Please try again later.",
                                null));
                return;
            }
        } else {
            key = null;
        }
        Call call = new Call(rc, match, params, decision, apiKey, key, begin, requestId);
        if (decision.latencyMs() > 0) {
            vertx.setTimer(decision.latencyMs(), t -> proceed(call));
        } else {
            proceed(call);
        }
    }

    private record Call(
            RoutingContext rc,
            StripeApi.Match match,
            ObjectNode params,
            FaultSettings.Decision decision,
            String apiKey,
            String key,
            IdempotencyStore.Begin begin,
            String requestId) {
        boolean ownsKey() {
            return begin != null && begin.kind() == IdempotencyStore.Kind.PROCEED;
        }
    }

    private void proceed(Call c) {
        switch (c.decision().outcome()) {
            case ERROR -> {
                release(c);
                send(
                        c.rc(),
                        new ApiException(
                                500, "api_error", null, "An unknown error occurred (injected by the emulator).", null));
                return;
            }
            case RATE_LIMIT -> {
                release(c);
                c.rc().response().putHeader("Stripe-Should-Retry", "true");
                send(
                        c.rc(),
                        new ApiException(
                                429,
                                "invalid_request_error",
                                "rate_limit",
                                "Request rate limit exceeded (injected by the emulator).",
                                null));
                return;
            }
            case TIMEOUT -> {
                release(c);
                vertx.setTimer(Math.max(1, c.decision().timeoutMs()), t -> hangUp(c.rc()));
                return;
            }
            default -> {
                // NONE and LOST_RESPONSE both take effect
            }
        }
        boolean lost = c.decision().outcome() == FaultSettings.Outcome.LOST_RESPONSE;
        if (c.begin() != null && c.begin().kind() == IdempotencyStore.Kind.REPLAY) {
            IdempotencyStore.Stored stored = c.begin().stored();
            if (lost) {
                hangUp(c.rc());
                return;
            }
            c.rc().response().putHeader("Idempotent-Replayed", "true");
            c.rc().response().putHeader("Original-Request", stored.requestId());
            send(c.rc(), stored.status(), stored.body());
            return;
        }
        int status;
        String body;
        try {
            ObjectNode result = c.match()
                    .route()
                    .handler()
                    .handle(new StripeApi.Call(
                            c.match().pathParams(), c.params(), new RequestContext(c.requestId(), c.key())));
            status = 200;
            body = Json.writePretty(result);
        } catch (ApiException e) {
            status = e.status();
            body = Json.writePretty(e.body());
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.ERROR,
                    "handler failed for " + c.match().route().template(),
                    e);
            ApiException err = new ApiException(500, "api_error", null, "An unexpected error occurred.", null);
            status = err.status();
            body = Json.writePretty(err.body());
        }
        if (c.ownsKey()) {
            idempotency.complete(c.apiKey(), c.key(), new IdempotencyStore.Stored(status, body, c.requestId()));
        }
        if (lost) {
            hangUp(c.rc());
        } else {
            send(c.rc(), status, body);
        }
    }

    private void release(Call c) {
        if (c.ownsKey()) {
            idempotency.release(c.apiKey(), c.key());
        }
    }

    /** Closes the TCP connection without any answer. */
    private static void hangUp(RoutingContext rc) {
        rc.request().connection().close();
    }

    static void send(RoutingContext rc, ApiException e) {
        send(rc, e.status(), Json.writePretty(e.body()));
    }

    static void send(RoutingContext rc, int status, String body) {
        if (rc.response().ended() || rc.response().closed()) {
            return;
        }
        rc.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body);
    }

    /** Bearer key, or Basic with the key as user name; only test-mode keys are accepted. */
    static String apiKey(HttpServerRequest req) {
        String auth = req.getHeader("Authorization");
        if (auth == null) {
            return null;
        }
        String key = null;
        if (auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            key = auth.substring(7).trim();
        } else if (auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded =
                        new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                key = colon < 0 ? decoded : decoded.substring(0, colon);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        if (key == null || !(key.startsWith("sk_test_") || key.startsWith("rk_test_"))) {
            return null;
        }
        return key;
    }
}
