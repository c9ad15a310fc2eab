#!/bin/busybox sh
# /init of the interop VM.  The scenario and its arguments come on the kernel command
# line after "--" (they arrive as our argv).  Everything is logged to the console
# (ttyS0), with "RIG:" lines for the test to read; the PPP link is ttyS1.
/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/sbin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
for m in slhc ppp_generic ppp_async; do insmod /lib/modules/$m.ko* || echo "RIG: insmod $m failed"; done
scenario=${1:-smoke}; shift 2>/dev/null || true
echo "RIG: scenario=$scenario args=$*"
tty=/dev/ttyS1
case "$scenario" in
smoke)   # pppd talks straight away: its LCP Configure-Request must reach the host
  pppd $tty 115200 nodetach debug local noauth user callmeback callback 5279651 \
       noipdefault lcp-echo-interval 0 logfd 1 maxfail 1 "$@"
  echo "RIG: PPPD_EXIT_STATUS=$?" ;;
*)
  echo "RIG: unknown scenario $scenario" ;;
esac
poweroff -f
