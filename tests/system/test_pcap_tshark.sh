#!/usr/bin/env bash
# The pcap files of sim/pcap_writer.c must be readable by Wireshark: the seed's PPP
# exchange (LCP, CHAP, CBCP, IPCP, ICMP; LINKTYPE_PPP_WITH_DIR) is written by the
# test_pcap_writer unit test (PCAP_OUT), then tshark must decode every record with
# no malformed packet and no expert error or warning.  A hand-made truncated LCP
# record checks that this script would notice a bad file.
# Environment: BUILD (e.g. build/san).
set -euo pipefail
BUILD=${BUILD:-build/san}
bin="$BUILD/tests/sim/test_pcap_writer"
[ -x "$bin" ] || { echo "missing $bin"; exit 1; }
command -v tshark >/dev/null || { echo "tshark not installed"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp"		# tshark writes its profile directory there

PCAP_OUT="$tmp/line.pcap" "$bin" >"$tmp/unit.log" 2>&1 || { cat "$tmp/unit.log"; exit 1; }

# $1 = file; prints tshark's view, fails on malformed packets or expert errors/warnings
check() {
	local list expert
	list=$(tshark -r "$1" 2>/dev/null)
	expert=$(tshark -r "$1" -z expert -q 2>/dev/null)
	echo "$list"
	echo "$expert"
	[ -n "$list" ] || return 1
	! grep -qi 'malformed' <<<"$list$expert" || return 1
	! grep -Eq '^(Errors|Warnings) \(' <<<"$expert" || return 1
}

check "$tmp/line.pcap"
n=$(tshark -r "$tmp/line.pcap" 2>/dev/null | wc -l)
[ "$n" -eq 21 ] || { echo "expected 21 records, got $n"; exit 1; }
tshark -r "$tmp/line.pcap" -Y 'cbcp' 2>/dev/null | grep -q 'Callback Response'
tshark -r "$tmp/line.pcap" -Y 'lcp.opt.type == 13' 2>/dev/null | grep -q 'Configuration Request'
tshark -r "$tmp/line.pcap" -Y 'icmp.type == 0' 2>/dev/null | grep -q 'reply'
# direction octet: 0 = received by the NAS (frame 3, the client's CONFREQ), which
# Wireshark shows as "DCE -> DTE"; 1 = sent by it (frame 1) "DTE -> DCE"
tshark -r "$tmp/line.pcap" -Y 'frame.number == 3' 2>/dev/null | grep -q 'DCE.*DTE'
tshark -r "$tmp/line.pcap" -Y 'frame.number == 1' 2>/dev/null | grep -q 'DTE.*DCE'

# the checker must reject a truncated LCP record
python3 - "$tmp/bad.pcap" <<'EOF'
import struct, sys
rec = bytes([1, 0xff, 0x03, 0xc0, 0x21, 0x01, 0x03, 0x00, 0x19, 0x02, 0x06, 0x00])
with open(sys.argv[1], 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 204))
    f.write(struct.pack('<IIII', 1, 0, len(rec), len(rec)) + rec)
EOF
if check "$tmp/bad.pcap" >/dev/null; then
	echo "a malformed record was not noticed"
	exit 1
fi
echo "test_pcap_tshark: PASS ($n records)"
