package org.villagehomepage.payments.emulator;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * Collects the request body as bytes, at most {@code limit} (413 in Stripe's error shape beyond). Vert.x' BodyHandler would
 * also decode every {@code application/x-www-form-urlencoded} body into form attributes, which the
 * emulator never reads (FormParser parses Stripe's bracket syntax itself): that decoding was 15 % of
 * the emulator's CPU per PaymentIntent create (JFR, docs/benchmarks-history.md). The body is decoded as
 * UTF-8 whatever the Content-Type's charset (forms are percent-encoded, JSON is UTF-8).
 */
final class RawBody implements Handler<RoutingContext> {
    private static final String KEY = "emulator.raw-body";

    private final int limit;

    RawBody(int limit) {
        this.limit = limit;
    }

    /** The body as text, or null when the request had none. */
    static String text(RoutingContext rc) {
        Buffer body = rc.get(KEY);
        return body == null || body.length() == 0 ? null : body.toString();
    }

    @Override
    public void handle(RoutingContext rc) {
        HttpServerRequest req = rc.request();
        String declared = req.getHeader("Content-Length");
        if (declared != null && parseLength(declared) > limit) {
            tooLarge(rc);
            return;
        }
        String expect = req.getHeader("Expect");
        if (expect != null && req.version() != HttpVersion.HTTP_1_0) {
            // as Vert.x' BodyHandler: a client that asks first sends its body only after 100 Continue
            if (!expect.equalsIgnoreCase("100-continue")) {
                ApiHandler.send(
                        rc, new ApiException(417, "invalid_request_error", null, "Unsupported Expect header.", null));
                return;
            }
            rc.response().writeContinue();
        }
        if (req.isEnded()) {
            rc.next();
            return;
        }
        Buffer body = Buffer.buffer();
        req.handler(chunk -> {
            if (body.length() + chunk.length() > limit) {
                req.handler(null);
                tooLarge(rc);
                return;
            }
            body.appendBuffer(chunk);
        });
        req.endHandler(v -> {
            if (!rc.response().ended()) {
                rc.put(KEY, body);
                rc.next();
            }
        });
        // a body that breaks off: Stripe's error shape if anyone is still listening, no stack trace
        req.exceptionHandler(e ->
                ApiHandler.send(rc, ApiException.invalidRequest("The request body could not be read.", null, null)));
        req.resume();
    }

    /** Stripe's error shape; the rest of the body is read and dropped by Vert.x. */
    private void tooLarge(RoutingContext rc) {
        ApiHandler.send(
                rc,
                new ApiException(
                        413, "invalid_request_error", null, "The request body exceeds " + limit + " bytes.", null));
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // a malformed length is refused like an oversized one
        }
    }
}
