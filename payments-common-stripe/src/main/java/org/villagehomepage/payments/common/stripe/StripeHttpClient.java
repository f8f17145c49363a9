package org.villagehomepage.payments.common.stripe;

import com.stripe.Stripe;
import com.stripe.exception.ApiConnectionException;
import com.stripe.net.ApiMode;
import com.stripe.net.ApiResource;
import com.stripe.net.HttpClient;
import com.stripe.net.HttpHeaders;
import com.stripe.net.HttpURLConnectionClient;
import com.stripe.net.StripeRequest;
import com.stripe.net.StripeResponse;
import com.stripe.net.StripeResponseStream;
import com.stripe.util.StreamUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Authenticator;
import java.net.HttpURLConnection;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * stripe-java's {@link HttpURLConnectionClient} with the two client headers computed once.
 *
 * <p>The stock client rebuilds {@code User-Agent} and {@code X-Stripe-Client-User-Agent} on every
 * request; the latter reads gson's pom.properties from the class path and serialises a map with
 * Gson each time (4.5 % of checkout-service's CPU under load). Both depend only on facts fixed for
 * the process (library version, JVM properties, {@code Stripe.getAppInfo()}, the AI-agent
 * environment variables, {@code Stripe.enableTelemetry} and the telemetry id), and User-Agent also
 * on the request's {@link ApiMode}: so they are built by stripe-java's own builders on the first
 * request of each mode and reused. {@code Stripe.setAppInfo} and {@code Stripe.enableTelemetry}
 * must therefore be set before the first call (this suite sets neither).
 *
 * <p>Everything else is the stock client's request: same proxy, timeouts, method, headers, body,
 * response handling and {@link ApiConnectionException} message. Telemetry headers
 * ({@code X-Stripe-Client-Telemetry}) come with the request's own headers, added by stripe-java
 * before the client is called, so they pass through unchanged.
 *
 * <p>Connections are kept alive for as many calls as {@link StripeGuard} lets run at once: the
 * JDK keeps at most {@code http.maxConnections} idle connections per host (default 5) and closes
 * every other one after its response, so with more calls in flight most calls opened a new
 * connection (to real Stripe a TLS handshake each). Loading this class sets the property to
 * {@link StripeGuard#MAX_CALLS_IN_FLIGHT} unless it is set already (an operator who raises the
 * bulkhead raises it with {@code -Dhttp.maxConnections=N}); the JDK reads it once per process, when
 * it first keeps a connection alive.
 */
public final class StripeHttpClient extends HttpClient {

    static final String KEEP_ALIVE_PROPERTY = "http.maxConnections";

    static {
        if (System.getProperty(KEEP_ALIVE_PROPERTY) == null) {
            System.setProperty(KEEP_ALIVE_PROPERTY, Integer.toString(StripeGuard.MAX_CALLS_IN_FLIGHT));
        }
    }

    // Same text as HttpURLConnectionClient's (typo included), so logs and alerts read the same.
    private static final String CONNECTION_FAILURE = "IOException during API request to Stripe (%s): %s Please check"
            + " your internet connection and try again. If this problem persists,you should check Stripe's"
            + " service status at https://twitter.com/stripestatus, or let us know at support@stripe.com.";

    /** Per ApiMode ordinal: the User-Agent and X-Stripe-Client-User-Agent headers, built on first use. */
    private final AtomicReferenceArray<Map<String, List<String>>> clientHeaders =
            new AtomicReferenceArray<>(ApiMode.values().length);

    @Override
    public StripeResponse request(StripeRequest request) throws ApiConnectionException {
        StripeResponseStream stream = requestStream(request);
        // What StripeResponseStream.unstream() (package-private) does.
        try (InputStream body = stream.body()) {
            String text = StreamUtils.readToEnd(body, ApiResource.CHARSET);
            return new StripeResponse(stream.code(), stream.headers(), text);
        } catch (IOException e) {
            throw connectionFailure(e);
        }
    }

    @Override
    public StripeResponseStream requestStream(StripeRequest request) throws ApiConnectionException {
        try {
            HttpURLConnection connection = open(request);
            int code = connection.getResponseCode();
            HttpHeaders headers = HttpHeaders.of(connection.getHeaderFields());
            InputStream body = code >= 200 && code < 300 ? connection.getInputStream() : connection.getErrorStream();
            return new StripeResponseStream(code, headers, body);
        } catch (IOException e) {
            throw connectionFailure(e);
        }
    }

    /** The request's headers plus the cached client headers, as HttpURLConnectionClient.getHeaders builds them. */
    HttpHeaders headers(StripeRequest request) {
        return request.headers().withAdditionalHeaders(clientHeaders(request));
    }

    private Map<String, List<String>> clientHeaders(StripeRequest request) {
        int mode = request.apiMode().ordinal();
        Map<String, List<String>> headers = clientHeaders.get(mode);
        if (headers == null) {
            // Two threads may both build them on the first call; they build the same strings.
            headers = Map.of(
                    "User-Agent", List.of(buildUserAgentString(request)),
                    "X-Stripe-Client-User-Agent", List.of(buildXStripeClientUserAgentString()));
            clientHeaders.set(mode, headers);
        }
        return headers;
    }

    private HttpURLConnection open(StripeRequest request) throws IOException {
        Proxy proxy = request.options().getConnectionProxy();
        HttpURLConnection connection;
        if (proxy != null) {
            connection = (HttpURLConnection) request.url().openConnection(proxy);
            // The stock client installs this as the process-wide default Authenticator on every
            // proxied request; scoped to the connection it answers the proxy the same way without
            // changing other clients' authentication.
            connection.setAuthenticator(new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return request.options().getProxyCredential();
                }
            });
        } else {
            connection = (HttpURLConnection) request.url().openConnection();
        }
        connection.setConnectTimeout(request.options().getConnectTimeout());
        connection.setReadTimeout(request.options().getReadTimeout());
        connection.setUseCaches(false);
        for (Map.Entry<String, List<String>> header : headers(request).map().entrySet()) {
            connection.setRequestProperty(header.getKey(), String.join(",", header.getValue()));
        }
        connection.setRequestMethod(request.method().name());
        if (request.content() != null) {
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", request.content().contentType());
            try (OutputStream output = connection.getOutputStream()) {
                output.write(request.content().byteArrayContent());
            }
        }
        return connection;
    }

    private static ApiConnectionException connectionFailure(IOException e) {
        // Stripe.getApiBase() (the global base, not this client's) as the stock client reports it.
        return new ApiConnectionException(String.format(CONNECTION_FAILURE, Stripe.getApiBase(), e.getMessage()), e);
    }
}
