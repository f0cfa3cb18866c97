#!/usr/bin/env bash
# End-to-end benchmark: smtp-source -> MTA -> smtp-sink, against Mta and a real Postfix in the same run.
# Run by hand (as root: it starts a private Postfix), never by CI:
#   bash tests/bench/e2e.sh [messages-per-cell] [drain-messages]
# Reports delivered messages/s per size and concurrency (from the first message sent to the last
# "status=sent" log line), CPU ms per delivered message, time to drain a backlog of queued messages,
# and resident memory per process (for Mta's fleet: the smtpd process and the delivery process apart).
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-5000}
DRAIN=${2:-20000}
SIZES=${SIZES:-"1024 10240"}
CONCS=${CONCS:-"10 50"}
work=$(mktemp -d /tmp/mta-e2e.XXXXXX)
chmod 755 "$work"
trap 'cleanup' EXIT
pids_to_kill=()
cleanup() {
  [ -n "${pf_dir:-}" ] && postfix -c "$pf_dir/etc" stop >/dev/null 2>&1 || true
  for p in "${pids_to_kill[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}

dotnet publish mta/Mta/Mta.csproj -c Release -o "$work/mta-bin" -nologo -v q >/dev/null
MTA="$work/mta-bin/mta"
SINK_PORT=30040 REDIS_PORT=36380

source tests/bench/lib.sh
sent_count() { grep -c "status=sent" "$1" 2>/dev/null || true; }
wait_sent() { # log count timeout-seconds
  local deadline=$((SECONDS + $3))
  while [ "$(sent_count "$1")" -lt "$2" ]; do
    [ $SECONDS -ge $deadline ] && { echo "timeout: $(sent_count "$1")/$2 delivered in $1" >&2; return 1; }
    sleep 0.2
  done
}

smtp-sink -u nobody "127.0.0.1:$SINK_PORT" 1024 & pids_to_kill+=($!)
redis-server --port $REDIS_PORT --dir "$work" --appendonly yes --appendfsync always --save '' --daemonize no >/dev/null & pids_to_kill+=($!)
wait_port $SINK_PORT; wait_port $REDIS_PORT

# One Mta process: name port backend master.cf-services
start_mta() {
  local dir="$work/$1"; mkdir -p "$dir/etc" "$dir/spool" "$dir/data"
  cat > "$dir/etc/main.cf" <<CF
compatibility_level = 3.11
queue_directory = $dir/spool
data_directory = $dir/data
myhostname = bench.example
mydestination =
mynetworks = 127.0.0.0/8
relayhost = [127.0.0.1]:$SINK_PORT
maillog_file = $dir/maillog
queue_backend = $3
redis_url = redis://127.0.0.1:$REDIS_PORT
CF
  { [ "$2" != 0 ] && echo "127.0.0.1:$2 inet n - n - - smtpd"
    echo "postlog unix-dgram n - n - 1 postlogd"
    for s in $4; do echo "$s unix - - n - - $s"; done; } > "$dir/etc/master.cf"
  sed -i 's/^qmgr unix - - n - - qmgr/qmgr unix n - n 300 1 qmgr/' "$dir/etc/master.cf"
  "$MTA" postfix -c "$dir/etc" start-fg >"$dir/stdout" 2>&1 &
  pids_to_kill+=($!); eval "${1//-/_}_pid=$!"
  if [ "$2" != 0 ]; then wait_port "$2"; else sleep 2; fi
}

start_postfix 30041 "relayhost = [127.0.0.1]:$SINK_PORT"
start_mta mta-file 30042 file "qmgr smtp"
start_mta mta-smtpd 30043 redis ""
start_mta mta-delivery 0 redis "qmgr smtp"

# Warm-up (JIT, connection caches, Postfix's process pools): not measured.
for target in 30041:$pf_dir/maillog 30042:$work/mta-file/maillog 30043:$work/mta-delivery/maillog; do
  IFS=: read -r port log <<<"$target"
  smtp-source -s 10 -l 1024 -m 500 -f load@example.com -t sink@example.net "127.0.0.1:$port"
  wait_sent "$log" 500 300
done

printf "%-10s %6s %5s %12s %12s %14s\n" target size conc "delivered/s" "cpu-ms/msg" "rss-MiB"
for size in $SIZES; do for conc in $CONCS; do
  for target in postfix:30041:$pf_dir/maillog mta-file:30042:$work/mta-file/maillog mta-redis:30043:$work/mta-delivery/maillog; do
    IFS=: read -r name port log <<<"$target"
    case $name in postfix) pids="$pf_pid";; mta-file) pids="$mta_file_pid";; *) pids="$mta_smtpd_pid $mta_delivery_pid";; esac
    before=$(sent_count "$log"); cpu0=$(tree_cpu $pids); t0=$(date +%s.%N)
    smtp-source -s "$conc" -l "$size" -m "$N" -f load@example.com -t sink@example.net "127.0.0.1:$port"
    wait_sent "$log" $((before + N)) 600
    t1=$(date +%s.%N); cpu1=$(tree_cpu $pids)
    if [ "$name" = mta-redis ]; then mem="$(tree_rss "$mta_smtpd_pid")+$(tree_rss "$mta_delivery_pid")"; else mem=$(tree_rss $pids); fi
    printf "%-10s %6s %5s %12s %12s %14s\n" "$name" "$size" "$conc" "$(echo "scale=1; $N / ($t1 - $t0)" | bc)" \
      "$(echo "scale=3; ($cpu1 - $cpu0) * 1000 / $N" | bc)" "$mem"
  done
done; done

# Drain: queue DRAIN messages with delivery held back, then time how long delivery takes to empty the queue.
echo
printf "%-10s %8s %10s %12s\n" target messages "drain-s" "drained/s"
postconf -c "$pf_dir/etc" -e "defer_transports = smtp"; postfix -c "$pf_dir/etc" reload >/dev/null 2>&1; sleep 1
kill "$mta_delivery_pid"; wait "$mta_delivery_pid" 2>/dev/null || true
sed -i '/ smtp$/d' "$work/mta-file/etc/master.cf"; "$MTA" postfix -c "$work/mta-file/etc" reload
sleep 2
for target in postfix:30041 mta-file:30042 mta-redis:30043; do
  IFS=: read -r name port <<<"$target"
  smtp-source -s 50 -l 1024 -m "$DRAIN" -f load@example.com -t sink@example.net "127.0.0.1:$port"
done
sleep 2
for name in postfix mta-file mta-redis; do
  case $name in
    postfix) log=$pf_dir/maillog; before=$(sent_count "$log"); t0=$(date +%s.%N)
      postconf -c "$pf_dir/etc" -e "defer_transports ="; postfix -c "$pf_dir/etc" reload >/dev/null 2>&1; postqueue -c "$pf_dir/etc" -f ;;
    mta-file) log=$work/mta-file/maillog; before=$(sent_count "$log"); t0=$(date +%s.%N)
      echo "smtp unix - - n - - smtp" >> "$work/mta-file/etc/master.cf"; "$MTA" postfix -c "$work/mta-file/etc" reload ;;
    mta-redis) log=$work/mta-delivery/maillog; before=$(sent_count "$log"); t0=$(date +%s.%N)
      "$MTA" postfix -c "$work/mta-delivery/etc" start-fg >>"$work/mta-delivery/stdout" 2>&1 & pids_to_kill+=($!) ;;
  esac
  wait_sent "$log" $((before + DRAIN)) 1800
  t1=$(date +%s.%N)
  printf "%-10s %8s %10s %12s\n" "$name" "$DRAIN" "$(echo "scale=1; $t1 - $t0" | bc)" "$(echo "scale=1; $DRAIN / ($t1 - $t0)" | bc)"
done
