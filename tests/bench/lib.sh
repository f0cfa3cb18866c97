# Shared by the benchmark scripts (sourced): process-tree accounting, port waiting and a private Postfix.

# CPU seconds (user+system) used so far by the process trees rooted at the given pids (live members plus reaped children).
tree_cpu() {
  local total=0 hz; hz=$(getconf CLK_TCK)
  for root in "$@"; do for pid in $root $(pgrep -P "$root" || true); do
    [ -r /proc/$pid/stat ] || continue
    read -r -a f < <(sed 's/^.*) //' /proc/$pid/stat)
    total=$((total + f[11] + f[12] + f[13] + f[14]))
  done; done
  echo "scale=3; $total / $hz" | bc
}

# Resident memory (MiB) of the process trees rooted at the given pids, summed.
tree_rss() {
  local kb=0
  for root in "$@"; do for pid in $root $(pgrep -P "$root" || true); do
    [ -r /proc/$pid/status ] && kb=$((kb + $(awk '/^VmRSS/{print $2}' /proc/$pid/status)))
  done; done
  echo $((kb / 1024))
}

wait_port() { for _ in $(seq 200); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; return 1; }

# start_postfix PORT [MAIN.CF LINES]: Debian's Postfix with its own config, queue and data under $work/postfix and
# smtpd on 127.0.0.1:PORT; sets pf_dir and pf_pid. Needs root (its master drops privileges itself).
start_postfix() {
  pf_dir="$work/postfix"; mkdir -p "$pf_dir/etc" "$pf_dir/spool" "$pf_dir/data"; chown postfix "$pf_dir/data"
  sed 's/^smtp      inet  n       -       y       -       -       smtpd/127.0.0.1:'"$1"' inet n - n - - smtpd/' /etc/postfix/master.cf > "$pf_dir/etc/master.cf"
  cat > "$pf_dir/etc/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $pf_dir/spool
data_directory = $pf_dir/data
myhostname = bench.example
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
maillog_file = $pf_dir/maillog
maillog_file_prefixes = $pf_dir
${2:-}
CF
  postfix -c "$pf_dir/etc" start >/dev/null 2>&1
  wait_port "$1"
  pf_pid=$(head -1 "$pf_dir/spool/pid/master.pid" | tr -d ' ')
}
