#!/usr/bin/env bash
# dialbackd's habits: foreground run with a control socket (mode 0600), dialbackctl
# commands, SIGHUP reload (a broken file keeps the running configuration), SIGTERM exit.
set -euo pipefail
tmp=$(mktemp -d); pid=
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
cp examples/seed.cfg "$tmp/d.cfg"
"$BUILD/dialbackd" -F -f "$tmp/d.cfg" -s "$tmp/ctl.sock" 2>"$tmp/log" &
pid=$!
for _ in $(seq 50); do [ -S "$tmp/ctl.sock" ] && break; sleep 0.1; done
[ -S "$tmp/ctl.sock" ] || { cat "$tmp/log"; echo "no control socket"; exit 1; }
[ "$(stat -c %a "$tmp/ctl.sock")" = 600 ] || { echo "socket mode is not 0600"; exit 1; }
ctl() { timeout 5 "$BUILD/dialbackctl" -s "$tmp/ctl.sock" "$@"; }

[ -z "$(ctl show debug)" ] || { echo "debug on at start"; exit 1; }
ctl debug ppp negotiation | grep -q 'PPP protocol negotiation debugging is on'
ctl sh deb | grep -qx 'PPP protocol negotiation debugging is on'
ctl show frobs | grep -q '% Invalid input detected'
ctl undebug all | grep -q 'All possible debugging has been turned off'

# the running configuration is the loaded one
ctl show running-config | grep -q '^username callmeback callback-dialstring "" password 7 02050D480809$'
ctl show running-config | grep -q '^Current configuration : [0-9]* bytes$'
! ctl show running-config | grep -q 'newbie'

# reload: a good file (a new user and pool take effect), then a broken one (kept
# running on the new one, the error with its line number in the log); with
# service password-encryption the new password shows as type 7, as IOS shows it
sed -i '3i username newbie password 0 fresh' "$tmp/d.cfg"
sed -i '4i ip local pool spare 10.1.1.1 10.1.1.5' "$tmp/d.cfg"
kill -HUP "$pid"
for _ in $(seq 50); do grep -q 'reloaded' "$tmp/log" && break; sleep 0.1; done
grep -q 'configuration .* reloaded' "$tmp/log" || { cat "$tmp/log"; exit 1; }
ctl show running-config | grep -q '^username newbie password 7 [0-9A-F]*$' || { echo "reload not applied"; exit 1; }
ctl show ip local pool | grep -q '^ spare  *10.1.1.1  *10.1.1.5  *5  *0$' || { echo "new pool missing"; exit 1; }
sed -i '3i ip local pool default 1.2.3.4 nonsense' "$tmp/d.cfg"	# before `end`
kill -HUP "$pid"
for _ in $(seq 50); do grep -q 'keeping the running' "$tmp/log" && break; sleep 0.1; done
grep -q 'keeping the running configuration' "$tmp/log" || { cat "$tmp/log"; exit 1; }
grep -q 'd.cfg:3:[0-9]*: error' "$tmp/log" || { cat "$tmp/log"; echo "no line-numbered error"; exit 1; }
kill -0 "$pid"
ctl show running-config | grep -q '^username newbie password 7 '
! ctl show running-config | grep -q 'nonsense'
ctl show debug >/dev/null

kill -TERM "$pid"
rc=0; wait "$pid" || rc=$?; pid=
[ $rc -eq 0 ] || { cat "$tmp/log"; echo "exit status $rc after SIGTERM"; exit 1; }
[ ! -e "$tmp/ctl.sock" ] || { echo "control socket left behind"; exit 1; }
echo "daemon habits: ok"
