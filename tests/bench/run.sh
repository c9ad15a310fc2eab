#!/usr/bin/env bash
# make bench: run every benchmark and print its figures.  Benchmarks assert nothing.
# Environment: BUILD, BENCH_BINS.  Each bench_* binary prints its own table; scripts
# tests/bench/bench_*.sh are run too (they get BUILD).
set -u
mkdir -p "$BUILD/bench"
for b in $BENCH_BINS; do echo "== $(basename "$b")"; "$b" || echo "(exit $?)"; done
for s in tests/bench/bench_*.sh; do [ -f "$s" ] || continue; echo "== $(basename "$s" .sh)"; BUILD=$BUILD bash "$s" || echo "(exit $?)"; done
