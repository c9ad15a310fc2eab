#!/usr/bin/env bash
# Run every test the Makefile built and print one closing line "N passed, N failed".
# Environment (set by `make check`): BUILD UNIT_BINS RTL_TB_BINS FUZZ_BINS FUZZ_RUNS SYSTEM_TESTS
set -u
pass=0; fail=0; failed=()
logdir="$BUILD/test-logs"; mkdir -p "$logdir"

run() {   # run NAME CMD...: one test, its output kept in the log dir
  local name=$1; shift
  local log="$logdir/$(echo "$name" | tr '/' '_').log"
  local t0=$(date +%s.%N)
  if "$@" >"$log" 2>&1; then
    pass=$((pass+1)); printf 'PASS %-48s %6.1fs\n' "$name" "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{print b-a}')"
  else
    fail=$((fail+1)); failed+=("$name")
    printf 'FAIL %-48s (log: %s)\n' "$name" "$log"; tail -n 30 "$log" | sed 's/^/    /'
  fi
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

for t in $UNIT_BINS; do run "unit/${t#$BUILD/tests/}" "$t"; done
for t in $RTL_TB_BINS; do d=$(dirname "$t"); run "rtl/$(basename "$d")" "$t"; done
for t in $FUZZ_BINS; do
  # libFuzzer writes new inputs into its first corpus directory: a scratch one, so the
  # repository's seed corpus stays as committed
  n=$(basename "$t"); corpus=tests/fuzz/corpus/$n; scratch="$BUILD/fuzz/scratch-$n"
  rm -rf "$scratch"; mkdir -p "$scratch"
  args=("$scratch"); [ -d "$corpus" ] && args+=("$corpus")
  run "fuzz/$n" "$t" -runs="$FUZZ_RUNS" -seed=1 -artifact_prefix="$scratch/" "${args[@]}"
done
for t in $SYSTEM_TESTS; do run "system/$(basename "$t" .sh)" env BUILD="$BUILD" bash "$t"; done

echo
if [ $fail -gt 0 ]; then echo "failed: ${failed[*]}"; fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
