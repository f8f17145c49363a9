package org.villagehomepage.payments.audit.detection;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.villagehomepage.payments.audit.AuditMetrics;
import org.villagehomepage.payments.audit.AuditSettings;

/**
 * Runs the suspicious-activity rules over the trail for the window ending at {@code now} and
 * stores what fires. A rule fires at most once per subject while its windows overlap (a burst
 * seen by consecutive runs is one finding), and at most once per aligned bucket, enforced by a
 * unique key. Only one replica evaluates at a time (try-lock; the other skips).
 */
@ApplicationScoped
public class DetectionService {

    static final long DETECTION_LOCK = 0x4155_4449_5444_4554L;
    /*
     * Detection is background work: it takes one core at most. A parallel scan of an hour of
     * entries held both cores of a 2-core machine for ~200 ms and stalled every request there.
     */
    static final String CLAIM = "SELECT pg_try_advisory_xact_lock($1) AS locked,"
            + " set_config('max_parallel_workers_per_gather', '0', true)";
    private static final String PER_SUBJECT = "FROM audit_entry WHERE occurred_at > $1 AND occurred_at <= $2 AND ";
    // outcome <> 'success' (failure or denied, the CHECK's other values): the partial index audit_entry_unsuccessful.
    static final String CHECKOUT_FAILURES = "SELECT actor_id AS subject, count(*) AS observed " + PER_SUBJECT
            + "actor_type = 'user' AND actor_id IS NOT NULL AND outcome <> 'success' "
            + "AND split_part(action, '.', 1) = ANY($3) GROUP BY actor_id HAVING count(*) > $4";
    static final String WEBHOOK_FAILURES =
            "SELECT count(*) AS observed " + PER_SUBJECT + "outcome <> 'success' AND action LIKE 'webhook.%'";
    // Counted up to $3 only: at that count the rate cannot be over its maximum (countLimit).
    static final String WEBHOOKS_UP_TO =
            "SELECT count(*) AS total FROM (SELECT 1 " + PER_SUBJECT + "action LIKE 'webhook.%' LIMIT $3) counted";
    // Every candidate of a run in one statement (a burst can make thousands): the ones already found
    // while their windows overlap, or in the same bucket, are skipped.
    private static final String INSERT = """
            INSERT INTO finding (id, rule, subject, window_start, window_end, bucket_start, observed, total, threshold)
            SELECT c.id, c.rule, c.subject, c.window_start, c.window_end, c.bucket_start, c.observed, c.total, c.threshold
            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[],
                        $7::bigint[], $8::bigint[], $9::bigint[])
                 AS c (id, rule, subject, window_start, window_end, bucket_start, observed, total, threshold)
            WHERE NOT EXISTS (SELECT 1 FROM finding f WHERE f.rule = c.rule AND f.subject = c.subject
                              AND f.window_end > c.window_start AND f.window_start < c.window_end)
            ON CONFLICT (rule, subject, bucket_start) DO NOTHING
            RETURNING id, detected_at""";

    private final Pool pool;
    private final AuditSettings.Detection settings;
    private final AuditMetrics metrics;

    public DetectionService(Pool pool, AuditSettings settings, AuditMetrics metrics) {
        this.pool = pool;
        this.settings = settings.detection();
        this.metrics = metrics;
    }

    /** The findings that are new after evaluating every rule at {@code now}. */
    public Uni<List<Finding>> run(Instant now) {
        return pool.withTransaction(conn -> conn.preparedQuery(CLAIM)
                        .execute(Tuple.of(DETECTION_LOCK))
                        .flatMap(rows -> rows.iterator().next().getBoolean("locked")
                                ? evaluate(conn, now)
                                : Uni.createFrom().item(List.<Finding>of())))
                .invoke(findings -> findings.forEach(f -> metrics.finding(Rule.ofLabel(f.rule()))));
    }

    private Uni<List<Finding>> evaluate(SqlConnection conn, Instant now) {
        Duration checkout = settings.checkoutWindow();
        Duration signatures = settings.signatureWindow();
        Duration rates = settings.rateWindow();
        List<Uni<List<Candidate>>> rules = List.of(
                perSubject(
                        conn,
                        Rule.CHECKOUT_VELOCITY,
                        now,
                        checkout,
                        settings.maxCheckoutAttempts(),
                        "SELECT actor_id AS subject, count(*) AS observed " + PER_SUBJECT
                                + "actor_type = 'user' AND actor_id IS NOT NULL AND action = ANY($3) GROUP BY actor_id HAVING count(*) > $4",
                        settings.attemptActions().toArray(String[]::new)),
                perSubject(
                        conn,
                        Rule.CHECKOUT_FAILURES,
                        now,
                        checkout,
                        settings.maxCheckoutFailures(),
                        CHECKOUT_FAILURES,
                        settings.failureDomains().toArray(String[]::new)),
                perSubject(
                        conn,
                        Rule.SIGNATURE_FAILURES,
                        now,
                        signatures,
                        settings.maxSignatureFailures(),
                        "SELECT source_ip AS subject, count(*) AS observed " + PER_SUBJECT
                                + "action = ANY($3) AND source_ip IS NOT NULL GROUP BY source_ip HAVING count(*) > $4",
                        new String[] {"webhook.rejected"}),
                rate(
                        conn,
                        Rule.REFUND_RATE,
                        now,
                        rates,
                        settings.maxRefundRatePercent(),
                        settings.minPaymentsForRefundRate(),
                        "SELECT count(*) FILTER (WHERE action = 'refund.processed') AS observed, "
                                + "count(*) FILTER (WHERE action = 'payment.succeeded') AS total " + PER_SUBJECT
                                + "action IN ('refund.processed', 'payment.succeeded') AND outcome = 'success'"),
                webhookFailureRate(
                        conn, now, rates, settings.maxWebhookFailurePercent(), settings.minWebhooksForFailureRate()));
        // One connection: the rules run one after the other.
        return Multi.createFrom()
                .iterable(rules)
                .onItem()
                .transformToUniAndConcatenate(rule -> rule)
                .onItem()
                .transformToIterable(candidates -> candidates)
                .collect()
                .asList()
                .chain(candidates -> store(conn, candidates, now));
    }

    private Uni<List<Candidate>> perSubject(
            SqlConnection conn, Rule rule, Instant now, Duration window, long max, String sql, String[] actions) {
        Instant start = now.minus(window);
        return Uni.createFrom()
                .deferred(() -> conn.preparedQuery(sql)
                        .execute(Tuple.of(start.atOffset(ZoneOffset.UTC), now.atOffset(ZoneOffset.UTC), actions, max))
                        .map(rows -> {
                            List<Candidate> candidates = new ArrayList<>();
                            for (Row row : rows) {
                                candidates.add(new Candidate(
                                        rule,
                                        row.getString("subject"),
                                        start,
                                        now,
                                        window,
                                        row.getLong("observed"),
                                        null,
                                        max));
                            }
                            return candidates;
                        }));
    }

    private Uni<List<Candidate>> rate(
            SqlConnection conn, Rule rule, Instant now, Duration window, long maxPercent, long minVolume, String sql) {
        Instant start = now.minus(window);
        return Uni.createFrom()
                .deferred(() -> conn.preparedQuery(sql)
                        .execute(Tuple.of(start.atOffset(ZoneOffset.UTC), now.atOffset(ZoneOffset.UTC)))
                        .map(rows -> {
                            Row row = rows.iterator().next();
                            long observed = row.getLong("observed");
                            long total = row.getLong("total");
                            return rateFires(observed, total, maxPercent, minVolume)
                                    ? List.of(
                                            new Candidate(rule, "all", start, now, window, observed, total, maxPercent))
                                    : List.of();
                        }));
    }

    /**
     * The webhook failure rate without counting every webhook entry of the window each minute: the
     * failures come from the partial index of unsuccessful entries (none in most windows, and then
     * the rule cannot fire), and the entries are counted only up to the total at which the rate is no
     * longer over its maximum and the volume is enough: reaching it means the rule does not fire,
     * stopping short of it gives the exact total. The two counts are two statements: an entry
     * committed between them (milliseconds) counts in the total only, as it would in the next run.
     */
    private Uni<List<Candidate>> webhookFailureRate(
            SqlConnection conn, Instant now, Duration window, long maxPercent, long minVolume) {
        Instant start = now.minus(window);
        OffsetDateTime from = start.atOffset(ZoneOffset.UTC);
        OffsetDateTime to = now.atOffset(ZoneOffset.UTC);
        return Uni.createFrom()
                .deferred(() -> conn.preparedQuery(WEBHOOK_FAILURES).execute(Tuple.of(from, to)))
                .map(rows -> rows.iterator().next().getLong("observed"))
                .chain(observed -> {
                    if (observed == 0) {
                        return Uni.createFrom().item(List.<Candidate>of());
                    }
                    Long limit = countLimit(observed, maxPercent, minVolume);
                    return conn.preparedQuery(WEBHOOKS_UP_TO)
                            .execute(Tuple.of(from, to, limit))
                            .map(rows -> {
                                long counted = rows.iterator().next().getLong("total");
                                return rateFires(observed, counted, maxPercent, minVolume)
                                        ? List.of(new Candidate(
                                                Rule.WEBHOOK_FAILURE_RATE,
                                                "all",
                                                start,
                                                now,
                                                window,
                                                observed,
                                                counted,
                                                maxPercent))
                                        : List.<Candidate>of();
                            });
                });
    }

    /**
     * How far to count the total for a rate of {@code observed} failures: the smallest total at
     * which the rate is no longer over {@code maxPercent} (observed * 100 <= maxPercent * total),
     * and at least the minimum volume; null (count everything) when any failure is over the maximum.
     */
    static Long countLimit(long observed, long maxPercent, long minVolume) {
        return maxPercent <= 0
                ? null
                : Math.max(minVolume, Math.ceilDiv(Math.multiplyExact(observed, 100L), maxPercent));
    }

    /**
     * observed / total over maxPercent / 100 in integer arithmetic, with at least the minimum volume.
     * For a total counted up to {@link #countLimit}, reaching the limit already means it does not fire.
     */
    static boolean rateFires(long observed, long total, long maxPercent, long minVolume) {
        return total >= minVolume && observed * 100 > maxPercent * total;
    }

    /** The candidates that are new findings, in the order of the rules. */
    private Uni<List<Finding>> store(SqlConnection conn, List<Candidate> candidates, Instant now) {
        if (candidates.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        int n = candidates.size();
        UUID[] ids = new UUID[n];
        String[] rules = new String[n];
        String[] subjects = new String[n];
        OffsetDateTime[] starts = new OffsetDateTime[n];
        OffsetDateTime[] ends = new OffsetDateTime[n];
        OffsetDateTime[] buckets = new OffsetDateTime[n];
        Long[] observed = new Long[n];
        Long[] totals = new Long[n];
        Long[] thresholds = new Long[n];
        for (int i = 0; i < n; i++) {
            Candidate c = candidates.get(i);
            long windowSeconds = Math.max(1, c.window.toSeconds());
            Instant bucket = Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), windowSeconds) * windowSeconds);
            ids[i] = UUID.randomUUID();
            rules[i] = c.rule.label();
            subjects[i] = c.subject;
            starts[i] = c.start.atOffset(ZoneOffset.UTC);
            ends[i] = c.end.atOffset(ZoneOffset.UTC);
            buckets[i] = bucket.atOffset(ZoneOffset.UTC);
            observed[i] = c.observed;
            totals[i] = c.total;
            thresholds[i] = c.threshold;
        }
        return conn.preparedQuery(INSERT)
                .execute(Tuple.tuple()
                        .addArrayOfUUID(ids)
                        .addArrayOfString(rules)
                        .addArrayOfString(subjects)
                        .addArrayOfOffsetDateTime(starts)
                        .addArrayOfOffsetDateTime(ends)
                        .addArrayOfOffsetDateTime(buckets)
                        .addArrayOfLong(observed)
                        .addArrayOfLong(totals)
                        .addArrayOfLong(thresholds))
                .map(rows -> {
                    Map<UUID, Instant> detected = new HashMap<>();
                    for (Row row : rows) {
                        detected.put(
                                row.getUUID("id"),
                                row.getOffsetDateTime("detected_at").toInstant());
                    }
                    List<Finding> findings = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        Instant at = detected.get(ids[i]);
                        if (at != null) {
                            Candidate c = candidates.get(i);
                            findings.add(new Finding(
                                    ids[i], rules[i], c.subject, c.start, c.end, c.observed, c.total, c.threshold, at));
                        }
                    }
                    return findings;
                });
    }

    private record Candidate(
            Rule rule,
            String subject,
            Instant start,
            Instant end,
            Duration window,
            long observed,
            Long total,
            long threshold) {}
}
