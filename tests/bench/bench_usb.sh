#!/usr/bin/env bash
# Bulk throughput and idle cost of the USB transport (drivers/card_usb.c) through the
# emulated FT232H (umockdev): figures only, no assertions.  Env: BUILD (default build).
# Builds tests/umockdev/bench_usb through tests/umockdev/rules.mk if the top Makefile
# has not.
set -uo pipefail
BUILD=${BUILD:-build}
cd "$(dirname "$0")/../.."
bin="$BUILD/umockdev/bench_usb"
san=${SAN:-0}; case "$BUILD" in *san*) san=1;; esac   # flavour of the build dir
mk=(make --no-print-directory -s SAN=$san BUILD="$BUILD")
if ! grep -qE '^[[:space:]]*-?include[[:space:]]+tests/umockdev/rules.mk' Makefile; then mk+=(-f Makefile -f tests/umockdev/rules.mk); fi
"${mk[@]}" "$bin" || { echo "bench_usb: build failed"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TMPDIR=$tmp
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
run() { timeout --kill-after=5 150 umockdev-wrapper "$bin" "$@" 2>&1 | grep -v '^$' || echo "(bench_usb $* failed)"; }

echo "USB transport through emulated FT232H (umockdev; per-URB cost dominates, see notes)"
run --mbytes 4  --out-kb 4   --in-kb 4
run --mbytes 8  --out-kb 16  --in-kb 16
run --mbytes 16 --out-kb 64  --in-kb 16
run --mbytes 32 --out-kb 64  --in-kb 64
run --mbytes 32 --out-kb 256 --in-kb 64
run --mbytes 32 --out-kb 256 --in-kb 256
run --idle 2 --latency 2
run --idle 2 --latency 16
# is the idle cost the IN buffer umockdev copies per URB, or the per-ioctl round trips?
# (measured: the round trips; 1 KiB IN buffers cost the same)
run --idle 2 --latency 2 --in-kb 1
