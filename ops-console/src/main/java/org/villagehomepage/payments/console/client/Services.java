package org.villagehomepage.payments.console.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.console.ConsoleConfig;
import org.villagehomepage.payments.console.auth.Operator;

/**
 * Calls the services' admin APIs with the operator's own bearer token, so each service checks the
 * operator's role itself and its audit names the operator, never the console.
 */
@ApplicationScoped
public class Services {

    private static final Logger LOG = Logger.getLogger(Services.class);

    public enum Service {
        CHECKOUT,
        WEBHOOK,
        REFUND,
        AUDIT
    }

    private final WebClient client;
    private final ConsoleConfig config;
    private final ObjectMapper json;

    public Services(Vertx vertx, ConsoleConfig config, ObjectMapper json) {
        this.client = WebClient.create(vertx);
        this.config = config;
        this.json = json;
    }

    public String baseUrl(Service service) {
        ConsoleConfig.Services s = config.services();
        return switch (service) {
            case CHECKOUT -> s.checkout();
            case WEBHOOK -> s.webhook();
            case REFUND -> s.refund();
            case AUDIT -> s.audit();
        };
    }

    public Uni<Answer> get(Operator operator, Service service, String path) {
        return send(operator, HttpMethod.GET, service, path, null);
    }

    public Uni<Answer> post(Operator operator, Service service, String path, Map<String, ?> body) {
        return send(operator, HttpMethod.POST, service, path, body);
    }

    public Uni<Answer> put(Operator operator, Service service, String path, Map<String, ?> body) {
        return send(operator, HttpMethod.PUT, service, path, body);
    }

    /** A CSV export, passed through as text. */
    public Uni<Answer> getText(Operator operator, Service service, String path) {
        HttpRequest<Buffer> request =
                request(operator, HttpMethod.GET, service, path).putHeader("Accept", "text/csv");
        return request.send()
                .map(r -> r.statusCode() / 100 == 2
                        ? new Answer(r.statusCode(), r.bodyAsString(), null, null)
                        : decode(r))
                .onFailure()
                .recoverWithItem(e -> unreachable(service, e));
    }

    /** Unauthenticated GET of a service's own endpoint (/q/health/ready, /q/metrics). */
    public Uni<Answer> probe(Service service, String path) {
        return client.getAbs(baseUrl(service) + path)
                .timeout(config.services().timeoutMillis())
                .send()
                .map(r -> new Answer(r.statusCode(), r.bodyAsString(), null, null))
                .onFailure()
                .recoverWithItem(e -> new Answer(0, null, "unreachable", null));
    }

    private Uni<Answer> send(Operator operator, HttpMethod method, Service service, String path, Map<String, ?> body) {
        HttpRequest<Buffer> request = request(operator, method, service, path).putHeader("Accept", "application/json");
        Uni<HttpResponse<Buffer>> sent;
        if (body == null) {
            sent = request.send();
        } else {
            try {
                sent = request.putHeader("Content-Type", "application/json")
                        .sendBuffer(Buffer.buffer(json.writeValueAsBytes(body)));
            } catch (Exception e) {
                return Uni.createFrom().failure(e);
            }
        }
        return sent.map(this::decode).onFailure().recoverWithItem(e -> unreachable(service, e));
    }

    private HttpRequest<Buffer> request(Operator operator, HttpMethod method, Service service, String path) {
        return client.requestAbs(method, baseUrl(service) + path)
                .timeout(config.services().timeoutMillis())
                .putHeader("Authorization", "Bearer " + operator.token());
    }

    private Answer decode(HttpResponse<Buffer> response) {
        Object body = null;
        String problem = null;
        Buffer buffer = response.body();
        if (buffer != null && buffer.length() > 0) {
            try {
                body = json.readValue(buffer.getBytes(), Object.class);
            } catch (Exception e) {
                body = null;
            }
        }
        if (response.statusCode() / 100 != 2) {
            if (body instanceof Map<?, ?> map) {
                Object detail = map.get("detail") != null ? map.get("detail") : map.get("title");
                problem = detail == null ? null : detail.toString();
            }
            body = null;
        }
        return new Answer(response.statusCode(), body, problem, response.getHeader("X-Total-Count"));
    }

    private Answer unreachable(Service service, Throwable e) {
        // The cause's class or message could name internals: logged here, not shown.
        LOG.warnf("%s unreachable: %s", service, e.toString());
        return new Answer(0, null, service.name().toLowerCase() + "-service unreachable", null);
    }
}
