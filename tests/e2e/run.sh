#!/usr/bin/env bash
# End-to-end: builds the real app, starts it under Xvfb through tauri-driver
# (WebDriver → WebKitWebDriver → the app), runs app.test.mjs, and leaves
# screenshots of each main screen in artifacts/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${CARGO_TARGET_DIR:=$HOME/.cache/clausebook/target}"
export CARGO_TARGET_DIR

# CLAUSEBOOK_E2E_NO_BUILD=1 uses the binary already built (for iterating on the tests).
[ -n "${CLAUSEBOOK_E2E_NO_BUILD:-}" ] || cargo build --locked -p clausebook-app --bin clausebook-app
export CLAUSEBOOK_E2E_APP="$CARGO_TARGET_DIR/debug/clausebook-app"
export CLAUSEBOOK_E2E_SHOTS="$PWD/artifacts/screenshots"
mkdir -p "$CLAUSEBOOK_E2E_SHOTS"
# Only this run's screenshots: a stale one would pass for this run's.
rm -f "$CLAUSEBOOK_E2E_SHOTS"/*.png
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A fresh register for this run; the app finds it through CLAUSEBOOK_DB.
export CLAUSEBOOK_DB="$work/e2e.sqlite3"
# Keep window state and WebKit caches out of the user's home.
export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
export CLAUSEBOOK_E2E_PORT=$(free_port)
native_port=$(free_port)

xvfb-run -a --server-args="-screen 0 1440x960x24" bash -c '
  set -euo pipefail
  tauri-driver --port "$CLAUSEBOOK_E2E_PORT" --native-port "'"$native_port"'" > "'"$work"'/tauri-driver.log" 2>&1 &
  driver=$!
  # SIGTERM, not SIGKILL: tauri-driver then stops WebKitWebDriver, which
  # would otherwise keep holding its port.
  trap "kill -TERM $driver 2>/dev/null; wait $driver 2>/dev/null || true" EXIT
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$CLAUSEBOOK_E2E_PORT") 2>/dev/null && break
    sleep 0.1
  done
  cd tests/e2e && node --test --test-concurrency=1 app.test.mjs
' || { echo "e2e failed; tauri-driver said:"; tail -40 "$work/tauri-driver.log"; exit 1; }
echo "e2e screenshots: $CLAUSEBOOK_E2E_SHOTS"
