#!/usr/bin/env bash
# Copies the files the chart ships from their sources of truth into charts/mta-operator/files/
# (Helm can only read files inside the chart): the alert rules and the CRDs.
# `--check` changes nothing and exits 1 when a copy differs from its source.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
chart_files="$repo_root/charts/mta-operator/files"
mode="${1:-sync}"

pairs=("$repo_root/deploy/prometheus/mta-rules.yaml|$chart_files/mta-rules.yaml")
shopt -s nullglob
for crd in "$repo_root"/crds/*.yaml; do
  pairs+=("$crd|$chart_files/crds/$(basename "$crd")")
done

status=0
for pair in "${pairs[@]}"; do
  source="${pair%%|*}" copy="${pair##*|}"
  if [[ "$mode" == "--check" ]]; then
    if ! cmp -s "$source" "$copy"; then
      echo "sync-chart-files: ${copy#"$repo_root"/} differs from ${source#"$repo_root"/}; run tests/chart/sync-chart-files.sh" >&2
      status=1
    fi
  else
    mkdir -p "$(dirname "$copy")"
    cp "$source" "$copy"
  fi
done
# A CRD removed from crds/ must not linger in the chart.
for copy in "$chart_files"/crds/*.yaml; do
  if [[ ! -e "$repo_root/crds/$(basename "$copy")" ]]; then
    if [[ "$mode" == "--check" ]]; then
      echo "sync-chart-files: ${copy#"$repo_root"/} has no source in crds/" >&2; status=1
    else
      rm "$copy"
    fi
  fi
done
exit "$status"
