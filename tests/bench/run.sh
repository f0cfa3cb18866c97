#!/usr/bin/env bash
# smtpd benchmark: the same load against Mta (file queue; Redis queue with AOF always) and a real
# Postfix (discard transport) on this machine, in the same run. Run by hand, never by CI:
#   bash tests/bench/run.sh [messages-per-cell]
# Reports, per target, size and concurrency: accepted messages/s from smtp-source, CPU seconds per
# message of the server's processes, time-to-250 p50/p99 (smtp-load) and peak resident memory.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-5000}
SIZES=${SIZES:-"1024 10240"}
CONCS=${CONCS:-"1 10 50"}
work=$(mktemp -d /tmp/mta-bench.XXXXXX)
chmod 755 "$work"   # Postfix's unprivileged daemons must reach their queue below it
trap 'cleanup' EXIT
pids_to_kill=()
cleanup() {
  [ -n "${pf_dir:-}" ] && postfix -c "$pf_dir/etc" stop >/dev/null 2>&1 || true
  for p in "${pids_to_kill[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}

dotnet publish mta/Mta/Mta.csproj -c Release -o "$work/mta-bin" -nologo -v q >/dev/null
dotnet build tests/bench/SmtpLoad -c Release -o "$work/load-bin" -nologo -v q >/dev/null
MTA="$work/mta-bin/mta"; LOAD="$work/load-bin/smtp-load"

source tests/bench/lib.sh

start_mta() { # port backend
  local dir="$work/mta-$2"; mkdir -p "$dir/etc" "$dir/spool" "$dir/data"
  cat > "$dir/etc/main.cf" <<CF
compatibility_level = 3.11
queue_directory = $dir/spool
data_directory = $dir/data
myhostname = bench.example
mydestination =
mynetworks = 127.0.0.0/8
maillog_file = $dir/maillog
queue_backend = $2
redis_url = redis://127.0.0.1:$redis_port
CF
  printf "127.0.0.1:$1 inet n - n - - smtpd\npostlog unix-dgram n - n - 1 postlogd\n" > "$dir/etc/master.cf"
  "$MTA" postfix -c "$dir/etc" start-fg >"$dir/stdout" 2>&1 &
  mta_pid=$!; pids_to_kill+=("$mta_pid")
  wait_port "$1"
}

redis_port=36379
redis-server --port $redis_port --dir "$work" --appendonly yes --appendfsync always --save '' --daemonize no >/dev/null &
pids_to_kill+=($!)
start_postfix 30025 "default_transport = discard
relay_transport = discard"
start_mta 30026 file
file_pid=$mta_pid
start_mta 30027 redis
redis_pid=$mta_pid

# Warm-up (JIT, Postfix's process pools): not measured.
for port in 30025 30026 30027; do
  smtp-source -s 10 -l 1024 -m 500 -f load@example.com -t sink@example.net "127.0.0.1:$port"
done

printf "%-12s %6s %5s %10s %12s %9s %9s %8s\n" target size conc "msg/s" "cpu-ms/msg" "p50-ms" "p99-ms" "rss-MiB"
for size in $SIZES; do for conc in $CONCS; do
  for target in postfix:30025:$pf_pid mta-file:30026:$file_pid mta-redis:30027:$redis_pid; do
    IFS=: read -r name port pid <<<"$target"
    cpu0=$(tree_cpu "$pid"); t0=$(date +%s.%N)
    smtp-source -s "$conc" -l "$size" -m "$N" -f load@example.com -t sink@example.net "127.0.0.1:$port"
    t1=$(date +%s.%N); cpu1=$(tree_cpu "$pid")
    rate=$(echo "scale=1; $N / ($t1 - $t0)" | bc)
    cpu=$(echo "scale=3; ($cpu1 - $cpu0) * 1000 / $N" | bc)
    lat=$("$LOAD" port="$port" messages=$((N / 5)) sessions="$conc" size="$size")
    p50=$(sed -n 's/.*p50_ms=\([0-9.]*\).*/\1/p' <<<"$lat"); p99=$(sed -n 's/.*p99_ms=\([0-9.]*\).*/\1/p' <<<"$lat")
    printf "%-12s %6s %5s %10s %12s %9s %9s %8s\n" "$name" "$size" "$conc" "$rate" "$cpu" "$p50" "$p99" "$(tree_rss "$pid")"
  done
done; done
