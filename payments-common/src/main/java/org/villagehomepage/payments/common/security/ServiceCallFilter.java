package org.villagehomepage.payments.common.security;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.villagehomepage.payments.common.http.RequestIds;
import org.villagehomepage.payments.common.problem.Problem;
import org.villagehomepage.payments.common.problem.ProblemType;

/**
 * The gate of every {@code /internal} endpoint: a service token for this service from a sender on
 * the endpoint's allowlist row, or 401/403 problem+json. User and admin tokens are never accepted
 * here, and service tokens never reach the user endpoints (different issuer and keys). Runs after
 * matching, so the row is looked up by the matched resource's declared template, not the raw path.
 */
@Singleton
public class ServiceCallFilter {

    public static final String INTERNAL_PREFIX = "/internal";
    private static final Logger LOG = Logger.getLogger(ServiceCallFilter.class);

    // Resolved on first use: REST filters are created before runtime configuration is available.
    private final Instance<ServiceTokenVerifier> verifiers;
    private final Instance<ServiceAllowlist> allowlists;
    private final Instance<ServiceIdentitySettings> settings;

    public ServiceCallFilter(
            Instance<ServiceTokenVerifier> verifiers,
            Instance<ServiceAllowlist> allowlists,
            Instance<ServiceIdentitySettings> settings) {
        this.verifiers = verifiers;
        this.allowlists = allowlists;
        this.settings = settings;
    }

    @ServerRequestFilter(priority = jakarta.ws.rs.Priorities.AUTHENTICATION)
    public Uni<Response> check(ContainerRequestContext request, ResourceInfo resource) {
        String template = template(resource);
        if (template == null || !template.startsWith(INTERNAL_PREFIX)) {
            return Uni.createFrom().nullItem();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Uni.createFrom().item(refuse(401, template, request, "no service token"));
        }
        String token = header.substring(7).trim();
        ServiceTokenVerifier verifier = verifiers.get();
        boolean remoteKeys = settings.get().jwksLocation().isPresent();
        ServiceAllowlist allowlist = allowlists.isResolvable() ? allowlists.get() : ServiceAllowlist.none();
        // The cluster JWKS may have to be fetched: never on the event loop.
        Uni<Optional<String>> sender = remoteKeys
                ? Uni.createFrom()
                        .item(() -> verifier.sender(token))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                : Uni.createFrom().item(verifier.sender(token));
        return sender.map(verified -> {
            if (verified.isEmpty()) {
                return refuse(401, template, request, "invalid service token");
            }
            if (!allowlist.allows(request.getMethod(), template, verified.get())) {
                return refuse(403, template, request, "sender " + verified.get() + " not allowed");
            }
            request.setSecurityContext(new ServiceCaller.Context(new ServiceCaller(verified.get())));
            return null;
        });
    }

    private static Response refuse(int status, String template, ContainerRequestContext request, String why) {
        LOG.warnf("Internal call refused: %s %s: %s", request.getMethod(), template, why);
        Problem problem = status == 401
                ? Problem.of(
                        ProblemType.UNAUTHORIZED,
                        "Authentication is required",
                        request.getUriInfo().getPath(),
                        RequestIds.current())
                : Problem.of(
                        ProblemType.FORBIDDEN,
                        "You are not allowed to do this",
                        request.getUriInfo().getPath(),
                        RequestIds.current());
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    /** The matched endpoint's template, e.g. {@code /internal/users/{userId}/ban}. */
    static String template(ResourceInfo resource) {
        if (resource == null || resource.getResourceClass() == null) {
            return null;
        }
        Path type = resource.getResourceClass().getAnnotation(Path.class);
        Path method = resource.getResourceMethod() == null
                ? null
                : resource.getResourceMethod().getAnnotation(Path.class);
        String path = join(type == null ? "" : type.value(), method == null ? "" : method.value());
        return path.isEmpty() ? "/" : path;
    }

    private static String join(String a, String b) {
        String left = a.startsWith("/") ? a : "/" + a;
        if (left.endsWith("/")) {
            left = left.substring(0, left.length() - 1);
        }
        if (b.isEmpty() || "/".equals(b)) {
            return left;
        }
        return left + (b.startsWith("/") ? b : "/" + b);
    }
}
