package org.villagehomepage.payments.common.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** No stack trace and no driver message in the relay's log line when a cycle fails. */
class RelayLogTest {

    @Test
    void aFailedCycleLogsTheKindOfFailureOnly() {
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger logger = Logger.getLogger(OutboxRelay.class.getName());
        logger.addHandler(capture);
        try {
            OutboxRelay.cycleFailed(new IllegalStateException(
                    "ERROR: relation \"outbox_message\" ... WHERE password = 'hunter2'",
                    new java.io.IOException("select * from secrets")));
        } finally {
            logger.removeHandler(capture);
        }
        assertThat(records).hasSize(1);
        LogRecord record = records.get(0);
        assertThat(record.getThrown()).as("no stack trace").isNull();
        String line = java.text.MessageFormat.format(
                record.getMessage(), record.getParameters() == null ? new Object[0] : record.getParameters());
        assertThat(String.valueOf(record.getMessage()) + line)
                .doesNotContain("hunter2")
                .doesNotContain("select")
                .contains("Outbox relay cycle failed");
    }
}
