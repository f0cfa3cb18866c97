#!/usr/bin/env bash
# Every chart, bundle and alert-rule check in one go; exits non-zero if any fails.
#   helm lint --strict (default and full values), helm template (default, full with the monitoring APIs,
#   namespaced RBAC off), chart file copies identical to their sources, deploy/install.yaml identical to a
#   fresh render, promtool check rules, promtool test rules.
# Needs .tools/bin/helm (tests/chart/install-tools.sh installs it) and promtool (Debian package prometheus).
set -uo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root" || exit 1
helm="${HELM:-$repo_root/.tools/bin/helm}"
promtool="${PROMTOOL:-$(command -v promtool || echo /usr/bin/promtool)}"
chart=charts/mta-operator
full=tests/chart/full-values.yaml
monitoring_apis=(--api-versions monitoring.coreos.com/v1/ServiceMonitor --api-versions monitoring.coreos.com/v1/PrometheusRule)
failures=0
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

step() {
  local name="$1"; shift
  if "$@" >"$scratch/out" 2>&1; then
    echo "ok    $name"
  else
    echo "FAIL  $name"; sed 's/^/      /' "$scratch/out"
    failures=$((failures + 1))
  fi
}

[[ -x "$helm" ]] || { echo "check: $helm not found; run tests/chart/install-tools.sh" >&2; exit 1; }
[[ -x "$promtool" ]] || { echo "check: promtool not found; apt-get install prometheus" >&2; exit 1; }

step "chart files match their sources" bash tests/chart/sync-chart-files.sh --check
step "helm lint (default values)" "$helm" lint --strict "$chart"
step "helm lint (full values)" "$helm" lint --strict "$chart" -f "$full"
step "helm template (default values)" "$helm" template mta-operator "$chart" -n mta-system
step "helm template (full values, monitoring APIs served)" "$helm" template mta-operator "$chart" -n mta-system -f "$full" "${monitoring_apis[@]}"
step "helm template (full values, cluster-wide RBAC)" "$helm" template mta-operator "$chart" -n mta-system -f "$full" --set rbac.namespaced=false
step "helm template rejects unknown values" bash -c "! '$helm' template x '$chart' --set crds.enabeld=true"
step "deploy/install.yaml is up to date" bash -c "bash tests/chart/generate-install.sh '$scratch/install.yaml' && diff -u deploy/install.yaml '$scratch/install.yaml'"
step "promtool check rules" "$promtool" check rules deploy/prometheus/mta-rules.yaml
step "promtool test rules" "$promtool" test rules deploy/prometheus/mta-rules.test.yaml

if ((failures > 0)); then
  echo "check: $failures check(s) failed"; exit 1
fi
echo "check: all chart and rule checks passed"
