#!/usr/bin/env bash
# bench_storm.sh - callback storms in the co-simulation (`make bench`; figures only):
# dialback-sim --scenario storm with every B-channel busy: 1 span (23 full seed
# callbacks at once), 2 spans (46) and 28 spans (644: 28 PRI D-channels, no NFAS), no
# think time, callback delay 1 s, 0.5 s modem training.  1 and 2 spans run on the
# 2-span card model at 3.088 MHz; 28 spans on the 28-span model (sim/vcard.cpp) at
# 24.704 MHz (16 core clocks per line bit instead of 2, 14x the line-side RTL): ~40x
# slower than real time, ~12 CPU-minutes for that run (it is last).  Shows a progress bar per run; prints sessions completed/failed,
# wall seconds, simulated/wall and simulated/CPU ratios (the wall clock counts other
# load on the machine, the CPU ratio does not), CPU, the host side's (daemon +
# telco/subscriber models on the event loop) CPU per line, the NAS's heap per line and
# the peak RSS; writes $BUILD/bench/storm.csv and storm.png (gnuplot).
# Environment: BUILD; STORM_SPANS (default "1 2 28"); STORM_SEED.
# SPDX-License-Identifier: MIT
set -u
BUILD=${BUILD:-build}
sim="$BUILD/dialback-sim"
out="$BUILD/bench"
mkdir -p "$out"
[ -x "$sim" ] || { echo "bench_storm: no $sim (make build)"; exit 0; }
csv="$out/storm.csv"
echo "spans,clients,completed,failed,wall_s,sim_s,sim_per_wall,sim_per_cpu,cpu_s,host_cpu_s,host_cpu_ms_per_line,nas_heap_bytes_per_line,line_struct_bytes,peak_rss_kb" >"$csv"
printf '%-6s %-8s %-10s %-7s %-8s %-8s %-9s %-8s %-8s %-14s %-12s %-8s\n' spans clients completed failed wall_s sim_s sim/wall sim/cpu cpu_s host_ms/line heap_B/line rss_kB
for spans in ${STORM_SPANS:-1 2 28}; do
  log="$out/storm-$spans.log"
  DIALBACK_QUIET=1 DIALBACK_STATS=1 DIALBACK_PROGRESS="storm $spans span(s)" \
    "$sim" --scenario storm --spans "$spans" --seed "${STORM_SEED:-1}" >"$log" || true
  line=$(grep -E '^storm: stats:' "$log" | tail -n 1)
  if [ -z "$line" ]; then echo "storm $spans: no figures (see $log)"; continue; fi
  # "storm: stats: spans 1 clients 23 completed 23 failed 0 wall_s ... peak_rss_kb N"
  set -- $line
  declare -A f=()
  shift 2
  while [ $# -ge 2 ]; do f[$1]=$2; shift 2; done
  f[sim_per_cpu]=$(awk -v s="${f[sim_s]}" -v c="${f[cpu_s]}" 'BEGIN { printf "%.3f", (c > 0 ? s / c : 0) }')
  echo "${f[spans]},${f[clients]},${f[completed]},${f[failed]},${f[wall_s]},${f[sim_s]},${f[ratio]},${f[sim_per_cpu]},${f[cpu_s]},${f[host_cpu_s]},${f[host_cpu_ms_per_line]},${f[nas_heap_bytes_per_line]},${f[line_struct_bytes]},${f[peak_rss_kb]}" >>"$csv"
  printf '%-6s %-8s %-10s %-7s %-8s %-8s %-9s %-8s %-8s %-14s %-12s %-8s\n' "${f[spans]}" "${f[clients]}" \
    "${f[completed]}" "${f[failed]}" "${f[wall_s]}" "${f[sim_s]}" "${f[ratio]}" "${f[sim_per_cpu]}" "${f[cpu_s]}" \
    "${f[host_cpu_ms_per_line]}" "${f[nas_heap_bytes_per_line]}" "${f[peak_rss_kb]}"
  unset f
done
echo "figures: $csv"
if command -v gnuplot >/dev/null && [ "$(wc -l <"$csv")" -gt 1 ]; then
  gnuplot <<GP 2>/dev/null && echo "plot: $out/storm.png"
set terminal png size 800,480
set output "$out/storm.png"
set datafile separator ","
set title "dialback-sim callback storms (every B-channel busy)"
set xlabel "PRI spans"
set ylabel "wall seconds"
set y2label "simulated time / wall, / CPU"
set logscale x 2
set xrange [0.7:40]
set xtics ("1" 1, "2" 2, "28" 28)
set logscale y 10
set ytics nomirror
set y2tics
set y2range [0:*]
set key left top
plot "$csv" every ::1 using 1:5 with linespoints pt 5 title "wall s (log)", \
     "" every ::1 using 1:7 axes x1y2 with linespoints title "sim/wall", \
     "" every ::1 using 1:8 axes x1y2 with linespoints title "sim/CPU"
GP
fi
