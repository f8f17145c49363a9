#!/usr/bin/env bash
# All deploy/ checks. Exits non-zero on the first failing check. Called by .ci/run.
#   (a) promtool check rules + promtool test rules
#   (b) every overlay renders with `kubectl kustomize`
#   (c) every rendered object validates offline against the Kubernetes API types (strict fabric8
#       model, unknown fields are errors) and the suite's deployment rules; the PrometheusRule's
#       groups equal deploy/prometheus/rules and pass promtool
#   (d) metric names in rules and dashboards are exported (docs/metrics.md; with
#       METRICS_SCRAPE_DIR=dir, against real /q/metrics scrapes instead)
set -euo pipefail
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.mvn/java-home.sh" # JDK 21+
repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"
. deploy/checks/tools.sh
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0

step() { echo; echo "== $*"; }
ok() { passed=$((passed + 1)); echo "ok: $*"; }

step "tools"
ensure_promtool
ensure_kustomize

step "(a) promtool check rules deploy/prometheus/rules/*.yml"
promtool check rules deploy/prometheus/rules/*.yml
ok "rule files"
step "(a) promtool test rules deploy/prometheus/tests/*.test.yml"
promtool test rules deploy/prometheus/tests/*.test.yml
ok "rule unit tests"
step "(a) PrometheusRule generated from the rule files is up to date"
deploy/checks/gen-prometheusrule.sh --check
ok "prometheusrule.yaml"

step "(b) kubectl kustomize deploy/k8s/overlays/*"
renders=()
for overlay in deploy/k8s/overlays/*/; do
  name="$(basename "$overlay")"
  kubectl kustomize "$overlay" > "$work/$name.yaml"
  echo "rendered $overlay: $(grep -c '^kind:' "$work/$name.yaml") objects ($(grep '^kind:' "$work/$name.yaml" | sort | uniq -c | awk '{printf "%s %s, ", $1, $3}'))"
  renders+=("$work/$name.yaml")
done
ok "${#renders[@]} overlays render"

step "(c) validator: ./mvnw -f deploy/validator/pom.xml verify (unit tests) and strict validation of each render"
./mvnw -f deploy/validator/pom.xml -q -B verify
cat deploy/validator/target/surefire-reports/*.txt | grep 'Tests run' || true
java -cp "deploy/validator/target/classes:$(cat deploy/validator/target/classpath.txt)" \
  org.villagehomepage.payments.deploy.ManifestValidator --repo . --rules-out "$work/rules" "${renders[@]}"
ok "rendered objects valid"
step "(c) promtool check rules on the rendered PrometheusRule groups"
promtool check rules "$work"/rules/*.yml
ok "rendered PrometheusRule groups"

step "(d) metric names used in rules and dashboards are exported"
deploy/checks/metric-names.sh ${METRICS_SCRAPE_DIR:+"$METRICS_SCRAPE_DIR"}
ok "metric names"

echo
echo "deploy: $passed passed, 0 failed"
