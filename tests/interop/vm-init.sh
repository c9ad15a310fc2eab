#!/bin/busybox sh
# /init of the interop VM.  The scenario and its arguments come on the kernel command
# line after "--" (they arrive as our argv).  Everything is logged to the console
# (ttyS0), with "RIG:" lines for the test to read; the PPP link is ttyS1, where the
# simulator's Hayes modem answers AT commands (dialback-sim --attach).
#   smoke               pppd talks at once (no modem): its LCP ConfReq reaches the host
#   callback [USER NUM] chat dials the NAS, pppd asks for callback to NUM (exit 14);
#                       chat waits for RING and answers, pppd runs again on the NAS's
#                       call, IPCP, ping the NAS's address
#   dialin [USER [tcp]] chat dials, pppd without callback, IPCP, ping; with "tcp" also
#                       20 lines through a TCP echo server on the NAS's address, port 7
#   badpass [USER]      chat dials, pppd with a wrong password (CHAP failure)
#   pap [USER]          as dialin, pppd refusing CHAP (PAP only)
/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/sbin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
for m in slhc ppp_generic ppp_async; do insmod /lib/modules/$m.ko* || echo "RIG: insmod $m failed"; done
scenario=${1:-smoke}; shift 2>/dev/null || true
echo "RIG: scenario=$scenario args=$*"
tty=/dev/ttyS1
tcp=
common="$tty 115200 debug local noauth noipdefault nodefaultroute lcp-echo-interval 0 logfd 1 maxfail 1"

# pppd in the background until IPCP is up (ip-up writes /tmp/ip-up), then ping the
# NAS's address and hang up.  Arguments: the connect script, then more pppd options.
ip_leg() {
  connect=$1; shift
  rm -f /tmp/ip-up
  pppd $common nodetach connect "$connect" "$@" &
  pid=$!
  i=0
  while [ ! -f /tmp/ip-up ] && kill -0 $pid 2>/dev/null && [ $i -lt 1200 ]; do
    sleep 0.5; i=$((i+1))
  done
  if [ -f /tmp/ip-up ]; then
    set -- $(cat /tmp/ip-up)
    echo "RIG: IP_UP iface=$1 local=$2 remote=$3"
    ping -c 3 -w 120 "$3"
    echo "RIG: PING_STATUS=$?"
    if [ -n "$tcp" ]; then	# TCP through the NAS (VJ compressed both ways)
      # no TCP timestamps: a changing option makes every segment go uncompressed
      echo 0 >/proc/sys/net/ipv4/tcp_timestamps
      for i in $(seq 1 20); do echo "line $i of the VJ test through the NAS"; sleep 0.3; done |
        { cat; sleep 5; echo END; } | nc -w 60 "$3" 7 >/tmp/echo.out
      echo "RIG: TCP_ECHO_LINES=$(grep -c '^line [0-9]* of the VJ test through the NAS$' /tmp/echo.out)"
    fi
    kill -TERM $pid
  else
    echo "RIG: NO_IP_UP"
  fi
  wait $pid
  echo "RIG: PPPD_EXIT_STATUS=$?"
}

case "$scenario" in
smoke)   # pppd talks straight away: its LCP Configure-Request must reach the host
  pppd $tty 115200 nodetach debug local noauth user callmeback callback 5279651 \
       noipdefault lcp-echo-interval 0 logfd 1 maxfail 1 "$@"
  echo "RIG: PPPD_EXIT_STATUS=$?" ;;
callback)
  user=${1:-callmeback}; num=${2:-5279651}
  pppd $common nodetach connect "chat -v -f /etc/ppp/dial.chat" user "$user" callback "$num"
  rc=$?
  echo "RIG: LEG1_EXIT_STATUS=$rc"
  if [ $rc -eq 14 ]; then
    echo "RIG: WAITING_FOR_RING"
    ip_leg "chat -v -f /etc/ppp/answer.chat" user "$user"
  fi ;;
dialin)
  [ "${2:-}" = tcp ] && tcp=1
  ip_leg "chat -v -f /etc/ppp/dial.chat" user "${1:-callmeback}" ;;
pap)
  ip_leg "chat -v -f /etc/ppp/dial.chat" user "${1:-papuser}" refuse-chap refuse-mschap \
         refuse-mschap-v2 refuse-eap ;;
badpass)
  pppd $common nodetach connect "chat -v -f /etc/ppp/dial.chat" user "${1:-callmeback}" \
       password wrongpassword
  echo "RIG: PPPD_EXIT_STATUS=$?" ;;
*)
  echo "RIG: unknown scenario $scenario" ;;
esac
poweroff -f
