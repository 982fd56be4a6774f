#!/usr/bin/env bash
# The README's two commands on a machine whose Node is Debian 12's own
# (18.20, too old for Vite 8): scripts/node.sh must see it is too old, fetch
# the pinned Node from PyPI, and that Node must build the UI.
#
# Debian's nodejs and libnode packages are downloaded and unpacked (not
# installed) into a temporary folder put first on PATH; the fetched Node goes
# to another temporary folder, so the machine's own setup is untouched.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/lib/scratch.sh

ver=$(apt-cache madison nodejs 2>/dev/null | awk '$0 ~ /debian/ {print $3; exit}')
if [ -z "$ver" ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  ver=$(apt-cache madison nodejs | awk '$0 ~ /debian/ {print $3; exit}')
fi
lib=$(apt-cache depends "nodejs=$ver" | grep -o 'libnode[0-9]*' | head -1)
# Node and libnode, and the two libraries of theirs a desktop rarely has.
(cd "$work" && apt-get download -qq "nodejs=$ver" "$lib=$ver" libuv1 libc-ares2 2>/dev/null)
for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$work/debian"; done
export PATH="$work/debian/usr/bin:$PATH"
export LD_LIBRARY_PATH="$work/debian/usr/lib/$(uname -m)-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
debian_node=$(node --version)
case "$debian_node" in
  v18.*) echo "node-fallback: Debian's Node first on PATH: $debian_node" ;;
  *) echo "node-fallback: FAILED: Debian's Node did not run (got '$debian_node')" >&2; exit 1 ;;
esac

export CLAUSEBOOK_NODE_DIR="$work/node"
# shellcheck source=../../scripts/node.sh
source scripts/node.sh
if node_ok; then
  echo "node-fallback: FAILED: Debian's $(node --version) was taken as new enough" >&2
  exit 1
fi
install_node
[ "$(command -v node)" = "$CLAUSEBOOK_NODE_DIR/bin/node" ] || { echo "node-fallback: FAILED: node is $(command -v node)" >&2; exit 1; }
[ "$(node --version)" = "v$NODE_WHEEL_VERSION" ] || { echo "node-fallback: FAILED: node is $(node --version)" >&2; exit 1; }
echo "node-fallback: npm $(npm --version)"
(cd ui && npm run build --silent -- --outDir "$work/dist" --emptyOutDir --logLevel warn)
[ -s "$work/dist/index.html" ] || { echo "node-fallback: FAILED: no index.html built" >&2; exit 1; }
echo "node-fallback: ok: the UI built with Node $(node --version) fetched from PyPI"
