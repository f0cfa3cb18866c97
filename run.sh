#!/usr/bin/env bash
# Runs Mta on this host in the foreground with the embedded file queue (no Redis needed):
# builds the `mta` command, writes a first configuration under ./.run/etc (kept on later runs, so edit it
# freely and `mta postfix -c .run/etc reload`), and starts `mta postfix -c .run/etc start-fg`.
# SMTP listens on 127.0.0.1:${MTA_SMTP_PORT:-2525}; the log goes to standard output. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")"
root="$PWD/.run"
dotnet build mta/Mta/Mta.csproj -c Release -nologo -v q -o "$root/bin" >/dev/null
mkdir -p "$root/etc" "$root/spool" "$root/data" "$root/mail"
if [ ! -f "$root/etc/main.cf" ]; then
  cat > "$root/etc/main.cf" <<CF
compatibility_level = 3.11
myhostname = localhost.localdomain
queue_directory = $root/spool
data_directory = $root/data
mynetworks = 127.0.0.0/8 [::1]/128
maillog_file = /dev/stdout
# Local mail stays under .run: aliases as a plain text table, mailboxes in .run/mail/USER.
alias_maps = texthash:$root/etc/aliases
alias_database = texthash:$root/etc/aliases
mail_spool_directory = $root/mail
CF
  printf "postmaster: root\nmailer-daemon: postmaster\n" > "$root/etc/aliases"
  cat > "$root/etc/master.cf" <<CF
# service type  private unpriv  chroot  wakeup  maxproc command + args
127.0.0.1:${MTA_SMTP_PORT:-2525} inet n - n - - smtpd
qmgr      unix  n       -       n       300     1       qmgr
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
  -o syslog_name=postfix/\$service_name
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
lmtp      unix  -       -       n       -       -       lmtp
discard   unix  -       -       n       -       -       discard
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
postlog   unix-dgram n  -       n       -       1       postlogd
CF
fi
echo "mta: configuration in $root/etc; commands: $root/bin/mta postconf -c $root/etc -n | postfix -c $root/etc status" >&2
exec "$root/bin/mta" postfix -c "$root/etc" start-fg
