package org.villagehomepage.payments.webhook.reconcile;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/**
 * @param from       events created after this were listed
 * @param checkpoint where the next run continues (minus the overlap)
 * @param listed     events of handled types Stripe listed
 * @param found      of those, events that had not been stored: delivery was missed
 * @param foundIds   their ids (at most 100)
 */
@RegisterForReflection
public record ReconciliationReport(Instant from, Instant checkpoint, int listed, int found, List<String> foundIds) {}
