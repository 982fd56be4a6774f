# Sourced by the test scripts: makes a scratch folder in $work and removes it
# when the script exits. WebKit's helper processes outlive the app by a moment
# and may still be writing their shader cache into it, so removal is retried
# for a few seconds; a folder that still will not go is reported, never turned
# into a failure of a test that passed. A script that needs more at exit
# defines `cleanup_extra` before sourcing this.
work=$(mktemp -d)
remove_scratch() {
  if declare -F cleanup_extra >/dev/null; then cleanup_extra || true; fi
  for _ in $(seq 50); do
    rm -rf "$work" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "note: could not remove the scratch folder $work" >&2
  return 0
}
trap remove_scratch EXIT
