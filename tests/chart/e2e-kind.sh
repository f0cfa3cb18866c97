#!/usr/bin/env bash
# End-to-end on a kind cluster (run by .github/workflows/e2e.yml; runnable by hand with kind, docker, kubectl,
# helm, swaks, curl and jq on PATH and `kubectl` pointing at the kind cluster):
#   1. build both images, load them into kind, install the chart and run `helm test`;
#   2. apply deploy/examples/minimal.yaml (using the local image and relaying to a Mailpit sink), wait for Ready;
#   3. send through the smtpd Service with swaks, see it arrive at the sink and the queue drain (`postqueue -p`);
#   4. scale smtpd to 3 and wait for the replicas;
#   5. send a bounded stream while a delivery pod is deleted, and check that every accepted message arrived.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"
cluster="${KIND_CLUSTER:-mta}"
tag="${E2E_TAG:-e2e}"
ns=mail
ms=example
load_messages="${E2E_LOAD_MESSAGES:-120}"
smtp_port=2525
sink_port=8025
export PATH="$repo_root/.tools/bin:$PATH"

log() { printf '\n== %s\n' "$*"; }
fail() { echo "e2e: FAIL: $*" >&2; exit 1; }

# retry N SECONDS CMD...: runs CMD until it succeeds, at most N times, SECONDS apart.
retry() {
  local tries="$1" pause="$2"; shift 2
  local i
  for ((i = 1; i <= tries; i++)); do
    if "$@"; then return 0; fi
    sleep "$pause"
  done
  return 1
}

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

port_forward() { # port_forward TARGET LOCAL:REMOTE
  kubectl -n "$ns" port-forward "$1" "$2" >/dev/null 2>&1 &
  pids+=("$!")
  retry 30 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/${2%%:*}" || fail "port-forward to $1 did not open"
}

sink_subjects() { curl -fsS "http://127.0.0.1:$sink_port/api/v1/messages?limit=5000" | jq -r '.messages[].Subject'; }

send() { # send SUBJECT: one message through smtpd, relayed to the sink
  swaks --server 127.0.0.1 --port "$smtp_port" --timeout 30 \
    --from "sender@example.org" --to "rcpt@sink.test" --header "Subject: $1" --body "e2e $1" >/dev/null 2>&1
}

# grep without -q below: an early exit would SIGPIPE the producer and fail the pipeline under pipefail.
queue_empty() {
  kubectl -n "$ns" exec "deploy/$ms-qmgr" -- postqueue -c /etc/mta -p 2>&1 | grep 'Mail queue is empty' >/dev/null
}

first_arrived() { sink_subjects | grep -x e2e-first >/dev/null; }

log "build and load the images"
docker build -f mta/Dockerfile -t "ghcr.io/mta-dev/mta:$tag" .
docker build -f operator/Dockerfile -t "ghcr.io/mta-dev/mta-operator:$tag" .
kind load docker-image --name "$cluster" "ghcr.io/mta-dev/mta:$tag" "ghcr.io/mta-dev/mta-operator:$tag"

log "install the chart"
helm install mta-operator charts/mta-operator --namespace mta-system --create-namespace \
  --set image.tag="$tag" --set image.pullPolicy=Never --wait --timeout 5m
helm test mta-operator --namespace mta-system --timeout 3m --logs

log "a Mailpit sink stands in for the Internet"
kubectl create namespace "$ns"
kubectl -n "$ns" apply -f - <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: { name: mailpit }
spec:
  selector: { matchLabels: { app: mailpit } }
  template:
    metadata: { labels: { app: mailpit } }
    spec:
      containers:
        - name: mailpit
          image: docker.io/axllent/mailpit:v1.21
          ports: [{ name: smtp, containerPort: 1025 }, { name: http, containerPort: 8025 }]
          readinessProbe: { tcpSocket: { port: 1025 } }
---
apiVersion: v1
kind: Service
metadata: { name: mailpit }
spec:
  selector: { app: mailpit }
  ports: [{ name: smtp, port: 1025 }, { name: http, port: 8025 }]
YAML
kubectl -n "$ns" rollout status deploy/mailpit --timeout 3m

log "apply deploy/examples/minimal.yaml (local image, relayhost = the sink)"
kubectl apply -f deploy/examples/minimal.yaml --dry-run=client -o json \
  | jq --arg tag "$tag" '.spec.image = {repository: "ghcr.io/mta-dev/mta", tag: $tag, pullPolicy: "Never"}
                         | .spec.relayhost = "[mailpit.mail.svc.cluster.local]:1025"' \
  | kubectl apply -f -
kubectl -n "$ns" wait --for=condition=Ready "mailserver/$ms" --timeout 10m
kubectl -n "$ns" get mailservers,deployments,pods

log "send one message and see it delivered and the queue drained"
port_forward "svc/$ms-smtpd" "$smtp_port:25"
port_forward svc/mailpit "$sink_port:8025"
send "e2e-first" || fail "smtpd did not accept the first message"
retry 60 2 first_arrived || fail "the first message never reached the sink"
retry 30 2 queue_empty || fail "the queue did not drain"

log "scale smtpd to 3 replicas"
kubectl -n "$ns" patch mailserver "$ms" --type merge -p '{"spec":{"smtpd":{"replicas":3}}}'
kubectl -n "$ns" wait --for=jsonpath='{.status.readyReplicas}'=3 "deploy/$ms-smtpd" --timeout 5m

log "delete a delivery pod while $load_messages messages are sent"
accepted=()
for ((i = 1; i <= load_messages; i++)); do
  if send "e2e-load-$i"; then accepted+=("e2e-load-$i"); fi
  if ((i == load_messages / 3)); then
    victim="$(kubectl -n "$ns" get pods -l "app.kubernetes.io/instance=$ms,app.kubernetes.io/component=delivery" -o name | head -n1)"
    [[ -n "$victim" ]] || fail "no delivery pod to delete"
    echo "deleting $victim after $i messages"
    kubectl -n "$ns" delete "$victim" --wait=false
  fi
done
echo "smtpd accepted ${#accepted[@]} of $load_messages messages"
((${#accepted[@]} >= load_messages * 9 / 10)) || fail "smtpd refused more than 10% of the load"

all_arrived() {
  local received
  received="$(sink_subjects | sort -u)"
  for subject in "${accepted[@]}"; do
    grep -x "$subject" <<<"$received" >/dev/null || return 1
  done
}
retry 90 2 all_arrived || fail "accepted messages were lost: $(comm -23 <(printf '%s\n' "${accepted[@]}" | sort) <(sink_subjects | sort -u) | head -n 20 | tr '\n' ' ')"
retry 30 2 queue_empty || fail "the queue did not drain after the load"
echo "every accepted message arrived ($(sink_subjects | wc -l) deliveries at the sink, duplicates allowed)"

log "e2e passed"
