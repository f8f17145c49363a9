package org.villagehomepage.payments.common.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

class StartupFailureReasonTest {

    private final StartupFailureReason filter = new StartupFailureReason();

    @Test
    void startupFailureNamesTheRootCauseWithoutClassNamesOrSecrets() {
        var record = new ExtLogRecord(Level.SEVERE, "Failed to start application", "io.quarkus.runtime.Application");
        record.setLoggerName("io.quarkus.runtime.Application");
        record.setThrown(new RuntimeException(
                "wrapper",
                new IllegalStateException(
                        "connect to jdbc:postgresql://db/payments?password=hunter2 failed, key sk_live_abc123")));

        assertThat(filter.isLoggable(record)).isTrue();
        assertThat(record.getFormattedMessage())
                .isEqualTo(
                        "Failed to start application: connect to jdbc:postgresql://db/payments?password=*** failed, key sk_live_***")
                .doesNotContain("IllegalStateException", "wrapper", "hunter2");
    }

    @Test
    void otherRecordsAreLeftAlone() {
        var record = new ExtLogRecord(
                Level.WARNING, "relay cycle failed", "org.villagehomepage.payments.common.outbox.OutboxRelay");
        record.setLoggerName("org.villagehomepage.payments.common.outbox.OutboxRelay");
        record.setThrown(new IllegalStateException("select * from outbox_message"));

        assertThat(filter.isLoggable(record)).isTrue();
        assertThat(record.getFormattedMessage()).isEqualTo("relay cycle failed");
    }
}
