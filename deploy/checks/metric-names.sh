#!/usr/bin/env bash
# Checks that every metric name used in an alert rule (deploy/prometheus/rules) or a Grafana
# dashboard expression (deploy/grafana) is exported by a service.
#   metric-names.sh SCRAPE_DIR   SCRAPE_DIR holds /q/metrics scrapes, one file per service
#                                (curl -s localhost:8081/q/metrics > dir/checkout.txt, ...)
#   metric-names.sh              no scrapes: compare with the contract, docs/metrics.md
# `up` (from Prometheus), PromQL functions, keywords and label names are ignored; a used name
# ending in _bucket/_count/_sum is accepted when its histogram family is exported.
set -euo pipefail
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.mvn/java-home.sh" # JDK 21+
repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"
if [ ! -f deploy/validator/target/classpath.txt ] || [ ! -d deploy/validator/target/classes ]; then
  ./mvnw -f deploy/validator/pom.xml -q -DskipTests package
fi
if [ $# -ge 1 ]; then
  src=(--scrapes "$1")
else
  src=(--docs docs/metrics.md)
fi
exec java -cp "deploy/validator/target/classes:$(cat deploy/validator/target/classpath.txt)" \
  org.villagehomepage.payments.deploy.MetricNames \
  --rules deploy/prometheus/rules --dashboards deploy/grafana "${src[@]}"
