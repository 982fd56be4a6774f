#!/usr/bin/env bash
# The app's figures, on a release build: cold start to a usable window,
# memory of the app's processes with the demo loaded, and the time to open an
# agreement with 5,000 clauses. Prints each against its target.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${CARGO_TARGET_DIR:=$HOME/.cache/clausebook/target}"
export CARGO_TARGET_DIR
cargo build --release --locked --workspace --bins
app="$CARGO_TARGET_DIR/release/clausebook-app"
cli="$CARGO_TARGET_DIR/release/clausebook"
source tests/lib/scratch.sh
export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache"

demo="$work/demo.sqlite3"
"$cli" --db "$demo" demo > /dev/null

# Cold start and memory: five launches on the demo register.
cat > "$work/start.sh" <<'INNER'
set -euo pipefail
for run in 1 2 3 4 5; do
  CLAUSEBOOK_DB="$DEMO" CLAUSEBOOK_TRACE_STARTUP=1 "$APP" 2> "$WORK/start-$run.log" &
  pid=$!
  for _ in $(seq 200); do grep -q "ui ready" "$WORK/start-$run.log" 2>/dev/null && break; sleep 0.05; done
  sleep 2
  # The app and the WebKit processes it spawned (its direct children).
  kib=$(ps -o rss= --pid "$pid" --ppid "$pid" | awk '{s+=$1} END {print s+0}')
  echo "$(grep -o 'ui ready [0-9]*' "$WORK/start-$run.log" | grep -o '[0-9]*') $kib" >> "$WORK/start.txt"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
INNER
DEMO="$demo" APP="$app" WORK="$work" xvfb-run -a --server-args="-screen 0 1440x960x24" bash "$work/start.sh"
sort -n "$work/start.txt" | awk -v target=1000 '
  { ms[NR] = $1; mem[NR] = $2 }
  END {
    m = ms[int((NR + 1) / 2)]; peak = 0; for (i = 1; i <= NR; i++) if (mem[i] > peak) peak = mem[i]
    printf "cold start to a usable window (release, median of %d): %d ms   target <= %d ms   %s\n", NR, m, target, (m <= target ? "ok" : "MISSED")
    printf "memory of the app and its WebKit processes, demo loaded: %.0f MiB (largest of %d launches)\n", peak / 1024, NR
  }'

# A 5,000-clause agreement, added through the command line.
big="$work/big.sqlite3"
cp "$demo" "$big"
partner=$("$cli" --db "$big" --json partners | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
agreement=$("$cli" --db "$big" add-agreement "Generated action plan with 5000 clauses" --party "$partner" --signed-on 2025-04-27)
start=$(date +%s)
for i in $(seq 5000); do
  "$cli" --db "$big" add-clause "$agreement" --number "$i" --text "Exchange of rehabilitation experts, visit $i" \
    --our-lead "State Welfare Organization" --partner-lead "Вазорати тандурустӣ" --deadline "$((i % 36 + 1)) months" > /dev/null
done
echo "(5,000 clauses added through the CLI in $(( $(date +%s) - start )) s)"

export CLAUSEBOOK_E2E_APP="$app" CLAUSEBOOK_DB="$big" CLAUSEBOOK_BENCH_AGREEMENT="$agreement"
tests/lib/with-driver.sh bash -c 'cd tests/e2e && node bench.mjs'
