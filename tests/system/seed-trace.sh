#!/usr/bin/env bash
# Regenerate tests/system/seed-trace.expected from a trace: the lines our trace shares
# verbatim with the seed document (timestamps and markup aside), in our order.
#   tests/system/seed-trace.sh TRACE SEED_DOCUMENT > tests/system/seed-trace.expected
set -euo pipefail
norm() { sed -E 's/\*\*//g; s/^ *\*[A-Z][a-z]{2} [0-9]+ [0-9:.]+: ?//; s/[[:space:]]+/ /g; s/^ //; s/ $//'; }
norm <"$2" | sort -u >"${TMPDIR:-/tmp}/seed-lines.$$"
sed -E 's/^\*[A-Z][a-z]{2} [0-9]+ [0-9:.]+: ?//' "$1" | while IFS= read -r l; do
  n=$(printf '%s\n' "$l" | norm)
  if [ -n "$n" ] && grep -qxF -- "$n" "${TMPDIR:-/tmp}/seed-lines.$$"; then printf '%s\n' "$l"; fi
done
rm -f "${TMPDIR:-/tmp}/seed-lines.$$"
