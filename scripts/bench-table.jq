# Prints the table of scripts/bench.sh from target/bench/results.json (an array of records).
def median: sort | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
def r(n): if . == null then "-" else (. * pow(10; n) | round) / pow(10; n) | tostring end;
def met(c): if c then "met" else "NOT met" end;
def pad(n): tostring | if length < n then . + (" " * (n - length)) else . end;

. as $all
| ($all | map(select(.bench == "webhook" and .mode == "closed" and .round != null))) as $wh
| ($all | map(select(.bench == "pgbench"))) as $pg
| ($all | map(select(.bench == "node"))) as $nd
| [($wh | map(.concurrency)) | unique[]] as $clients
| [ $clients[] as $c
    | ($wh | map(select(.concurrency == $c))) as $s
    | ($pg | map(select(.concurrency == $c))) as $p
    | ($nd | map(select(.concurrency == $c))) as $n
    | { c: $c,
        node: ($n | map(.throughput) | median),
        vsNode: ([ $s[] as $x | ($n[] | select(.round == $x.round) | .throughput) as $t | select($t > 0) | $x.throughput / $t ] | median),
        suite: ($s | map(.throughput) | median),
        pg: ($p | map(.tps) | median),
        ratio: ([ $s[] as $x | ($p[] | select(.round == $x.round) | .tps) as $t | $x.throughput / $t ] | median),
        p50: ($s | map(.p50Ms) | median), p99: ($s | map(.p99Ms) | median),
        cpe: ($s | map(.commitsPerEvent) | median), errors: ($s | map(.errors) | add) } ] as $rows
| ($all | map(select(.bench == "webhook" and .phase == "intake-warmup")) | sort_by(.run)) as $warm
| ($all | map(select(.phase == "half-max")) | first) as $half
| ($all | map(select(.phase == "duplicate-storm")) | first) as $dup
| ($all | map(select(.bench == "checkout" and .mode == "closed" and .phase == null))) as $co
| ($all | map(select(.bench == "emulator_payment_intents" and .mode == "closed" and .phase == null))) as $em
| ($all | map(select(.bench == "emulator_payment_intents" and .phase == "alone"))) as $emAlone
| ($all | map(select(.bench == "checkout" and .phase == "rate-500")) | first) as $co500
| ($all | map(select(.bench == "emulator_payment_intents" and .phase == "rate-500")) | first) as $em500
| ($all | map(select(.bench == "lag")) | first) as $lag
| ($all | map(select(.bench == "lag-cpu"))) as $lagcpu
| ($all | map(select(.bench == "rss"))) as $rss
| ($all | map(select(.bench == "start"))) as $start
| ($all | map(select(.bench == "crash")) | first) as $crash
| ($rows | map(.ratio) | min) as $minRatio
| ($rows | map(.vsNode) | map(select(. != null)) | min) as $minNode
| "",
  "Webhook intake (closed loop) vs pgbench INSERT ... ON CONFLICT DO NOTHING, medians of \($wh | map(.round) | max) rounds",
  "  clients  suite ev/s  pgbench tps  ratio  node ev/s  suite/node  ack p50 ms  ack p99 ms  commits/event  errors",
  ($rows[] | "  \(.c | pad(7))  \(.suite | r(0) | pad(10))  \(.pg | r(0) | pad(11))  \(.ratio | r(2) | pad(5))  \(.node | r(0) | pad(9))  \(.vsNode | r(2) | pad(10))  \(.p50 | r(2) | pad(10))  \(.p99 | r(2) | pad(10))  \(.cpe | r(3) | pad(13))  \(.errors)"),
  "  target: ratio >= 0.7 at every client count -> \(met($minRatio != null and $minRatio >= 0.7)) (lowest \($minRatio | r(2)))",
  "  target: suite >= 2.5x the Node receiver at every client count -> \(met($minNode != null and $minNode >= 2.5)) (lowest \($minNode | r(2)))",
  (if ($warm | length) > 0 then "  warm-up before the rounds (JIT), \($warm | length) runs at 32 clients: \($warm | map(.throughput | r(0)) | join(", ")) events/s" else empty end),
  (if $half then "Ack latency at half the max rate (\($half.rate | r(0))/s open loop): p50 \($half.p50Ms) ms, p99 \($half.p99Ms) ms -> target p99 <= 20 ms \(met($half.p99Ms <= 20 and $half.errors == 0))" else empty end),
  (if $dup then "Duplicate storm (100 x 20 concurrent copies): \($dup.rows) rows, \($dup.outboxMessages) outbox messages -> \(met($dup.rows == 100 and $dup.outboxMessages == 100))" else empty end),
  (if ($co | length) > 0 then "Checkout c=16 closed loop: \($co | map(.throughput) | median | r(0))/s, p50 \($co | map(.p50Ms) | median | r(2)) ms, p99 \($co | map(.p99Ms) | median | r(2)) ms; emulator POST /v1/payment_intents c=16: \($em | map(.throughput) | median | r(0))/s, p99 \($em | map(.p99Ms) | median | r(2)) ms; ratio \((($co | map(.throughput) | median) / ($em | map(.throughput) | median)) | r(2)) -> target >= 0.8 \(met((($co | map(.throughput) | median) / ($em | map(.throughput) | median)) >= 0.8))" else empty end),
  (if ($emAlone | length) > 0 then "Emulator alone (own instance, no webhook endpoint) c=16: \($emAlone | map(.throughput) | median | r(0))/s, p99 \($emAlone | map(.p99Ms) | median | r(2)) ms -> target >= 5,000/s \(met(($emAlone | map(.throughput) | median) >= 5000))" else empty end),
  (if $co500 then "Checkout at \($co500.rate | r(0))/s open loop: \($co500.throughput | r(0))/s done, p99 \($co500.p99Ms) ms, errors \($co500.errors) (emulator alone at \($em500.rate | r(0))/s: p99 \($em500.p99Ms) ms) -> target p99 <= 50 ms \(met($co500.p99Ms <= 50 and $co500.errors == 0))" else empty end),
  (if $lag then "Event-to-effect lag (ack -> listing active), \($lag.paid) payments: p50 \($lag.p50S | r(3)) s, p99 \($lag.p99S | r(3)) s, max \($lag.maxS | r(3)) s, \($lag.active)/\($lag.events) active -> target p99 <= 1 s \(met($lag.p99S != null and $lag.p99S <= 1 and $lag.active == $lag.paid))" else empty end),
  (if ($lagcpu | length) > 0 then "  CPU per payment during the lag phase (ms): \($lagcpu | map("\(.process) \(.cpuMsPerPayment)") | join(", ")), total \($lagcpu | map(.cpuMsPerPayment) | add | r(2))" else empty end),
  "Memory (RSS after the benchmarks): \($rss | map("\(.service) \(.rssMiB) MiB" + (if .peakMiB then " (peak \(.peakMiB))" else "" end)) | join(", ")) -> each service <= 200 MB \(met([$rss[] | select(.service != "total" and .service != "stripe-emulator") | .rssMiB * 1048576 <= 200000000] | all)), total <= 1 GiB \(met(($rss | map(select(.service == "total")) | first | .rssMiB) <= 1024))",
  (if ($start | length) > 0 then
    "Start (alone, median of \($start | map(.run) | max)): \([$start | group_by(.service)[] | "\(.[0].service) ready \(map(.readyMs) | median) ms (started in \(map(.startedInS) | median) s)"] | join(", ")) -> each <= 1.0 s \(met([$start | group_by(.service)[] | (map(.readyMs) | median) <= 1000] | all))"
   else empty end),
  (if $crash then "Crash (kill -9 webhook-service under 250 events/s, restarted at once): \($crash.acked) acknowledged, \($crash.missing) missing -> \(met($crash.missing == 0))" else empty end),
  (($all | map(select(.bench == "dead"))) as $dead
   | if ($dead | length) > 0 then "Dead outbox messages at the end: \($dead | map("\(.schema) \(.messages)") | join(", ")) -> none given up \(met(($dead | map(.messages) | add) == 0))" else empty end)
