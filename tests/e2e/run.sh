#!/usr/bin/env bash
# End-to-end: builds the real app, starts it under Xvfb through tauri-driver
# (WebDriver → WebKitWebDriver → the app), runs app.test.mjs, and leaves
# screenshots of each main screen in artifacts/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${CARGO_TARGET_DIR:=$HOME/.cache/clausebook/target}"
export CARGO_TARGET_DIR

# CLAUSEBOOK_E2E_NO_BUILD=1 uses the binary already built (for iterating on the tests).
# The command line prepares a colleague's register in the exchange step.
[ -n "${CLAUSEBOOK_E2E_NO_BUILD:-}" ] || cargo build --locked -p clausebook-app --bin clausebook-app -p clausebook-core --bin clausebook
export CLAUSEBOOK_E2E_APP="$CARGO_TARGET_DIR/debug/clausebook-app"
export CLAUSEBOOK_E2E_CLI="$CARGO_TARGET_DIR/debug/clausebook"
export CLAUSEBOOK_E2E_SHOTS="$PWD/artifacts/screenshots"
mkdir -p "$CLAUSEBOOK_E2E_SHOTS"
# Only this run's screenshots: a stale one would pass for this run's.
rm -f "$CLAUSEBOOK_E2E_SHOTS"/*.png
source tests/lib/scratch.sh
# A fresh register for this run; the app finds it through CLAUSEBOOK_DB.
export CLAUSEBOOK_DB="$work/e2e.sqlite3"
# Keep window state and WebKit caches out of the user's home.
export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache"
# The autostart entry the Settings step writes goes to ~/.config/autostart
# (auto-launch, under tauri-plugin-autostart, does not read XDG_CONFIG_HOME):
# the app gets a home of its own.
export CLAUSEBOOK_E2E_HOME="$work/home"
mkdir -p "$CLAUSEBOOK_E2E_HOME"
# The system viewer: an xdg-open of our own that notes each path it is asked
# to open (the opener plugin finds xdg-open on PATH), so the tests can check
# what the app handed it.
export CLAUSEBOOK_E2E_OPENED="$work/opened.txt"
mkdir -p "$work/bin"
printf '#!/bin/sh\nprintf "%%s\\n" "$1" >> "%s"\n' "$CLAUSEBOOK_E2E_OPENED" > "$work/bin/xdg-open"
chmod +x "$work/bin/xdg-open"
export PATH="$work/bin:$PATH"

HOME="$CLAUSEBOOK_E2E_HOME" CLAUSEBOOK_DRIVER_LOG="$work/tauri-driver.log" tests/lib/with-driver.sh \
  bash -c 'cd tests/e2e && node --test --test-concurrency=1 app.test.mjs' \
  || { echo "e2e failed; tauri-driver said:"; tail -40 "$work/tauri-driver.log"; exit 1; }
echo "e2e screenshots: $CLAUSEBOOK_E2E_SHOTS"
