#!/usr/bin/env bash
# Runs a command under Xvfb with tauri-driver listening (WebDriver →
# WebKitWebDriver → the app), as the end-to-end tests, the package test and
# the app bench need: the driver's port goes to the command in
# CLAUSEBOOK_E2E_PORT, the driver's output to $CLAUSEBOOK_DRIVER_LOG
# (default: nowhere). The driver is stopped when the command ends, and the
# command's exit status is this script's.
#
# Usage: tests/lib/with-driver.sh COMMAND [ARG...]
set -euo pipefail

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
CLAUSEBOOK_E2E_PORT=$(free_port)
export CLAUSEBOOK_E2E_PORT
native_port=$(free_port)

xvfb-run -a --server-args="-screen 0 1440x960x24" bash -c '
  set -euo pipefail
  native_port=$1 log=$2
  shift 2
  tauri-driver --port "$CLAUSEBOOK_E2E_PORT" --native-port "$native_port" > "$log" 2>&1 &
  driver=$!
  # SIGTERM, not SIGKILL: tauri-driver then stops WebKitWebDriver, which
  # would otherwise keep holding its port.
  trap "kill -TERM $driver 2>/dev/null; wait $driver 2>/dev/null || true" EXIT
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$CLAUSEBOOK_E2E_PORT") 2>/dev/null && break
    sleep 0.1
  done
  "$@"
' with-driver "$native_port" "${CLAUSEBOOK_DRIVER_LOG:-/dev/null}" "$@"
