#!/usr/bin/env bash
# The app's figures, on a release build, each against a reference measured
# in the same run: cold start to a usable window and memory (PSS of the app
# and its WebKit processes, the demo loaded) against an empty Tauri window
# built the same way (tests/bench/empty_window.rs); the time to open an
# agreement with 5,000 clauses against one with 50; and how the window
# answers while the core exports a 10,000-clause PDF.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${CARGO_TARGET_DIR:=$HOME/.cache/clausebook/target}"
export CARGO_TARGET_DIR
cargo build --release --locked --workspace --bins
cargo build --release --locked --bin empty-window --features bench-reference
app="$CARGO_TARGET_DIR/release/clausebook-app"
empty="$CARGO_TARGET_DIR/release/empty-window"
cli="$CARGO_TARGET_DIR/release/clausebook"
source tests/lib/scratch.sh
export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache"

demo="$work/demo.sqlite3"
"$cli" --db "$demo" demo > /dev/null

# Cold start and memory: five launches of each program, taking turns, on the
# demo register. Memory is PSS (each shared page counted once across the
# processes, which summed RSS counts in every one of them), from
# /proc/PID/smaps_rollup of the program and the WebKit processes it spawned,
# two seconds after its window is usable.
cat > "$work/start.sh" <<'INNER'
set -euo pipefail
pss() { for p in "$@"; do awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || true; done | awk '{s+=$1} END {print s+0}'; }
for run in 1 2 3 4 5; do
  for which in app empty; do
    program=$APP; [ "$which" = empty ] && program=$EMPTY
    log="$WORK/start-$which-$run.log"
    CLAUSEBOOK_DB="$DEMO" CLAUSEBOOK_TRACE_STARTUP=1 "$program" 2> "$log" &
    pid=$!
    for _ in $(seq 200); do grep -q "ui ready" "$log" 2>/dev/null && break; sleep 0.05; done
    sleep 2
    kib=$(pss "$pid" $(pgrep -P "$pid" || true))
    echo "$(grep -o 'ui ready [0-9]*' "$log" | grep -o '[0-9]*') $kib" >> "$WORK/start-$which.txt"
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
done
INNER
DEMO="$demo" APP="$app" EMPTY="$empty" WORK="$work" xvfb-run -a --server-args="-screen 0 1440x960x24" bash "$work/start.sh"
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
app_ms=$(cut -d' ' -f1 "$work/start-app.txt" | median)
empty_ms=$(cut -d' ' -f1 "$work/start-empty.txt" | median)
app_kib=$(cut -d' ' -f2 "$work/start-app.txt" | median)
empty_kib=$(cut -d' ' -f2 "$work/start-empty.txt" | median)
awk -v a="$app_ms" -v e="$empty_ms" 'BEGIN {
  r = a / e
  printf "cold start to a usable window (release, median of 5): %d ms   empty Tauri window %d ms → %.2f×   target <= 1.5×   %s\n", a, e, r, (r <= 1.5 ? "PASS" : "MISS")
}'
awk -v a="$app_kib" -v e="$empty_kib" 'BEGIN {
  r = a / e
  printf "memory (PSS) of the app and its WebKit processes, demo loaded: %.0f MiB   empty Tauri window %.0f MiB → %.2f×   target <= 1.3×   %s\n", a / 1024, e / 1024, r, (r <= 1.3 ? "PASS" : "MISS")
}'

# A 5,000-clause agreement and a 50-clause one, added through the command line.
big="$work/big.sqlite3"
cp "$demo" "$big"
partner=$("$cli" --db "$big" --json partners | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
add_clauses() {
  for i in $(seq "$2"); do
    "$cli" --db "$big" add-clause "$1" --number "$i" --text "Exchange of rehabilitation experts, visit $i" \
      --our-lead "State Welfare Organization" --partner-lead "Вазорати тандурустӣ" --deadline "$((i % 36 + 1)) months" > /dev/null
  done
}
agreement=$("$cli" --db "$big" add-agreement "Generated action plan with 5000 clauses" --party "$partner" --signed-on 2025-04-27)
small=$("$cli" --db "$big" add-agreement "Generated action plan with 50 clauses" --party "$partner" --signed-on 2025-04-27)
start=$(date +%s)
add_clauses "$agreement" 5000
add_clauses "$small" 50
echo "(5,050 clauses added through the CLI in $(( $(date +%s) - start )) s)"

export CLAUSEBOOK_E2E_APP="$app" CLAUSEBOOK_DB="$big" CLAUSEBOOK_BENCH_AGREEMENT="$agreement" CLAUSEBOOK_BENCH_SMALL="$small"
tests/lib/with-driver.sh bash -c 'cd tests/e2e && node bench.mjs'
