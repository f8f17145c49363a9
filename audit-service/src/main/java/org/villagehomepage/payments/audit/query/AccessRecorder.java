package org.villagehomepage.payments.audit.query;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.villagehomepage.payments.audit.chain.EntryContent;
import org.villagehomepage.payments.audit.intake.IntakeService;
import org.villagehomepage.payments.common.http.RequestIds;

/**
 * Writes {@code audit.accessed} (PCI DSS 10.2.1.1: every access to audit data) straight into the
 * trail, sealed like any entry. Called before results leave: no record, no results.
 */
@ApplicationScoped
public class AccessRecorder {

    public static final String ACTION = "audit.accessed";

    private final IntakeService intake;
    private final String service;

    public AccessRecorder(IntakeService intake, @ConfigProperty(name = "quarkus.application.name") String service) {
        this.intake = intake;
        this.service = service;
    }

    /** {@code what} names the query; {@code params} are its filters (no result data). */
    public Uni<Void> accessed(String adminId, String sourceIp, String what, Map<String, String> params, long results) {
        TreeMap<String, String> details = new TreeMap<>();
        params.forEach((key, value) -> {
            if (value != null) {
                details.put(key, value);
            }
        });
        details.put("query", what);
        details.put("results", Long.toString(results));
        EntryContent entry = new EntryContent(
                UUID.randomUUID(),
                Instant.now(),
                service,
                service,
                ACTION,
                "success",
                "admin",
                adminId,
                null,
                null,
                null,
                null,
                null,
                RequestIds.current(),
                sourceIp,
                details);
        return intake.store(List.of(entry)).replaceWithVoid();
    }
}
