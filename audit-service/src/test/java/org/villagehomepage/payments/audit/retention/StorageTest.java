package org.villagehomepage.payments.audit.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.villagehomepage.payments.audit.AuditApi.event;
import static org.villagehomepage.payments.audit.AuditApi.post;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.audit.AuditApi;
import org.villagehomepage.payments.common.testing.JwtKeysResource;

@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
class StorageTest {

    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyyMM");

    @Inject
    Pool pool;

    @Inject
    PartitionMaintenance partitions;

    @Inject
    RetentionJob retention;

    @Test
    void theServiceRoleCannotUpdateDeleteOrTruncateEntries() {
        UUID id = stored();
        String partition = partitionOf(id);
        for (String sql : List.of(
                "UPDATE audit_entry SET action = 'x.y' WHERE id = '" + id + "'",
                "DELETE FROM audit_entry WHERE id = '" + id + "'",
                "DELETE FROM audit_entry WHERE false",
                "TRUNCATE audit_entry",
                "UPDATE " + partition + " SET action = 'x.y' WHERE id = '" + id + "'",
                "DELETE FROM " + partition + " WHERE id = '" + id + "'",
                "TRUNCATE " + partition)) {
            assertThatThrownBy(() -> pool.query(sql).execute().await().indefinitely())
                    .as(sql)
                    .isInstanceOfSatisfying(
                            PgException.class, e -> assertThat(e.getSqlState()).isEqualTo("42501"));
        }
        assertThat(actionOf(id)).isEqualTo("checkout.attempted");
    }

    @Test
    void evenASuperuserIsStoppedByTheTriggers() throws SQLException {
        UUID id = stored();
        String partition = partitionOf(id);
        try (Connection db = AuditApi.superuser();
                Statement sql = db.createStatement()) {
            for (String statement : List.of(
                    "UPDATE audit_entry SET action = 'x.y' WHERE id = '" + id + "'",
                    "DELETE FROM audit_entry WHERE id = '" + id + "'",
                    "TRUNCATE audit_entry",
                    "UPDATE " + partition + " SET action = 'x.y' WHERE id = '" + id + "'",
                    "DELETE FROM " + partition + " WHERE id = '" + id + "'",
                    "TRUNCATE " + partition)) {
                assertThatThrownBy(() -> sql.execute(statement))
                        .as(statement)
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("append-only");
            }
        }
        assertThat(actionOf(id)).isEqualTo("checkout.attempted");
    }

    @Test
    void partitionsExistForThisMonthAndTheNextThree() {
        partitions.ensure().await().indefinitely();
        partitions.ensure().await().indefinitely(); // idempotent
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        List<String> existing = partitionNames();
        for (int ahead = 0; ahead <= 3; ahead++) {
            assertThat(existing)
                    .contains("audit_entry_p" + now.plusMonths(ahead).format(MONTH));
        }
        // Each partition carries its own statement and TRUNCATE triggers.
        long triggers = pool.preparedQuery("""
                SELECT count(*) FROM pg_trigger WHERE tgrelid = to_regclass($1) AND NOT tgisinternal""")
                .execute(Tuple.of("audit_entry_p" + now.plusMonths(3).format(MONTH)))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
        assertThat(triggers).isGreaterThanOrEqualTo(3);
    }

    @Test
    void retentionDropsWholePartitionsOnlyPastTheHorizon() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String eightYears = ensureMonth(today.minusYears(8));
        String sixYears = ensureMonth(today.minusYears(6));
        String lastYear = ensureMonth(today.minusMonths(11));

        List<String> dropped = retention.apply(Instant.now()).await().indefinitely();

        assertThat(dropped).contains(eightYears).doesNotContain(sixYears, lastYear);
        assertThat(partitionNames())
                .doesNotContain(eightYears)
                .contains(
                        sixYears,
                        lastYear,
                        "audit_entry_p" + YearMonth.now(ZoneOffset.UTC).format(MONTH));
        long recorded = pool.preparedQuery(
                        "SELECT count(*) FROM audit_entry WHERE action = $1 AND details ->> 'partitions' LIKE $2")
                .execute(Tuple.of(RetentionJob.ACTION, "%" + eightYears + "%"))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
        assertThat(recorded).isEqualTo(1);
    }

    private String ensureMonth(LocalDate day) {
        return pool.preparedQuery("SELECT ensure_month_partition($1) AS name")
                .execute(Tuple.of(day))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getString("name");
    }

    private List<String> partitionNames() {
        List<String> names = new ArrayList<>();
        for (Row row : pool.query("""
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'audit_entry'::regclass""").execute().await().indefinitely()) {
            names.add(row.getString("relname"));
        }
        return names;
    }

    private UUID stored() {
        Map<String, Object> event = event("checkout.attempted", "success");
        post(event).statusCode(200);
        return UUID.fromString((String) event.get("id"));
    }

    private String partitionOf(UUID id) {
        return pool.preparedQuery("SELECT tableoid::regclass::text AS p FROM audit_entry WHERE id = $1")
                .execute(Tuple.of(id))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getString("p");
    }

    private String actionOf(UUID id) {
        return pool.preparedQuery("SELECT action FROM audit_entry WHERE id = $1")
                .execute(Tuple.of(id))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getString("action");
    }
}
