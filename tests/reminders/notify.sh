#!/usr/bin/env bash
# Deadline reminders reach the desktop: the real app, under Xvfb, in a D-Bus
# session whose notification service is tests/reminders/listener.py, on a
# register with the demo data and a chosen today. At start the app must send
# one notification whose title counts what the core's reminders list (asked
# through the command line) says; with reminders turned off, none.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${CARGO_TARGET_DIR:=$HOME/.cache/clausebook/target}"
[ -n "${CLAUSEBOOK_NO_BUILD:-}" ] || cargo build --locked -q -p clausebook-app --bin clausebook-app -p clausebook-core --bin clausebook
app="$CARGO_TARGET_DIR/debug/clausebook-app"
cli="$CARGO_TARGET_DIR/debug/clausebook"
fail() { echo "reminder test: FAILED: $*" >&2; exit 1; }

source tests/lib/scratch.sh
export CLAUSEBOOK_DB="$work/register.sqlite3" CLAUSEBOOK_TODAY=2026-12-04
export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache"
"$cli" demo >/dev/null
"$cli" settings --language en --dates gregorian >/dev/null
overdue=$("$cli" --json reminders | python3 -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin) if r["stage"] == "overdue"))')
[ "$overdue" -gt 0 ] || fail "the demo has nothing overdue on $CLAUSEBOOK_TODAY"

# Starts the app under Xvfb in a D-Bus session with the listener; waits up to $1 s for
# a notification (or the whole time, when none is expected), then stops it.
run_app() {
  local wait=$1 out=$2
  : >"$out"
  xvfb-run -a dbus-run-session -- bash -c '
    set -euo pipefail
    /usr/bin/python3 tests/reminders/listener.py "'"$out"'" >"'"$work"'/listener.log" 2>&1 &
    listener=$!
    for _ in $(seq 100); do grep -q ready "'"$work"'/listener.log" && break; sleep 0.1; done
    "'"$app"'" >"'"$work"'/app.log" 2>&1 &
    app=$!
    for _ in $(seq $(('"$wait"' * 10))); do [ -s "'"$out"'" ] && break; sleep 0.1; done
    sleep 1
    kill $app 2>/dev/null || true
    wait $app 2>/dev/null || true
    kill $listener 2>/dev/null || true
  ' 2>>"$work/dbus.log"
}

run_app 60 "$work/on.jsonl"
[ -s "$work/on.jsonl" ] || { cat "$work/app.log" >&2; fail "no notification within 60 s of the start"; }
python3 - "$work/on.jsonl" "$overdue" <<'PY' || fail "the notification does not say what the register holds"
import json, sys
notes = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert len(notes) == 1, notes
n = notes[0]
assert n["summary"].startswith("Clausebook — "), n
assert f"Overdue: {sys.argv[2]}" in n["summary"], n
assert n["body"].count("\n") >= 1, n
print("reminder test: notified:", n["summary"])
for line in n["body"].splitlines():
    print("    " + line)
PY

"$cli" settings --reminders off >/dev/null
run_app 15 "$work/off.jsonl"
[ ! -s "$work/off.jsonl" ] || fail "a notification came with reminders off: $(cat "$work/off.jsonl")"
echo "reminder test: ok: one notification at start counting $overdue overdue clauses; none with reminders off"
