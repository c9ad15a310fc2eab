#!/usr/bin/env bash
# dialbackd -t: the seed's configuration loads; broken ones fail with line and column;
# unknown commands only warn.
set -euo pipefail
d=$BUILD/dialbackd
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

"$d" -t -f examples/seed.cfg 2>"$tmp/seed.err" || { cat "$tmp/seed.err"; exit 1; }
grep -q 'configuration OK' "$tmp/seed.err"

# an unknown command (before `end`, after which IOS reads nothing): a warning naming
# the line, and the configuration still loads
sed '3i frobnicate the widgets' examples/seed.cfg >"$tmp/unknown.cfg"
"$d" -t -f "$tmp/unknown.cfg" 2>"$tmp/unknown.err" || { cat "$tmp/unknown.err"; exit 1; }
grep -q "unknown.cfg:3: warning.*frobnicate" "$tmp/unknown.err" || { cat "$tmp/unknown.err"; exit 1; }

# a malformed known command: an error with line and column, exit status 1
printf 'hostname nas\nip local pool default 172.16.25.59 not-an-address\n' >"$tmp/bad.cfg"
if "$d" -t -f "$tmp/bad.cfg" 2>"$tmp/bad.err"; then echo "broken config accepted"; exit 1; fi
grep -Eq 'bad.cfg:2:[0-9]+: error' "$tmp/bad.err" || { cat "$tmp/bad.err"; exit 1; }

# a missing file is an error, not a crash
if "$d" -t -f "$tmp/none.cfg" 2>/dev/null; then echo "missing config accepted"; exit 1; fi
echo "config check: ok"
