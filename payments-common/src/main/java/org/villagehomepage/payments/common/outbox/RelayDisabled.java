package org.villagehomepage.payments.common.outbox;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.inject.Singleton;

@Singleton
public class RelayDisabled implements Scheduled.SkipPredicate {

    private final OutboxSettings settings;

    public RelayDisabled(OutboxSettings settings) {
        this.settings = settings;
    }

    @Override
    public boolean test(ScheduledExecution execution) {
        return !settings.relay().enabled();
    }
}
