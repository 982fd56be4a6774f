#!/usr/bin/env bash
# The .deb as a department's IT installs it: `apt-get install ./clausebook….deb`,
# the desktop entry and icons in place, `clausebook --version`, the installed
# app started under Xvfb from its desktop entry's command showing the
# dashboard of a register, then `apt-get remove`, after which the officer's
# register must still be there, untouched.
#
# Run by `make package-test` (and `make test`) on a debug bundle; given no
# CLAUSEBOOK_PACKAGE_DEB, on the newest release bundle of `make package`.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${CARGO_TARGET_DIR:=$HOME/.cache/clausebook/target}"
deb=${CLAUSEBOOK_PACKAGE_DEB:-$(ls -t "$CARGO_TARGET_DIR"/release/bundle/deb/*.deb | head -1)}
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
fail() { echo "package test: FAILED: $*" >&2; exit 1; }

cleanup_extra() { $sudo_cmd apt-get remove -y -qq clausebook >/dev/null 2>&1 || true; }
source tests/lib/scratch.sh

echo "package test: installing $(basename "$deb")"
$sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb" >/dev/null
dpkg-query -W -f='${Status} ${Version}\n' clausebook | grep -q "install ok installed" || fail "not installed"

# What the package put in place.
desktop=$(dpkg -L clausebook | grep '/usr/share/applications/.*\.desktop$' | head -1)
[ -n "$desktop" ] || fail "no desktop entry"
grep -q '^Name\[fa\]=' "$desktop" || fail "the desktop entry has no Persian name"
grep -q '^Comment\[fa\]=' "$desktop" || fail "the desktop entry has no Persian comment"
for size in 16x16 32x32 48x48 128x128 256x256 512x512; do
  dpkg -L clausebook | grep -q "/usr/share/icons/hicolor/$size/apps/" || fail "no $size icon"
done
deps=$(dpkg-query -W -f='${Depends}' clausebook)
case "$deps" in *libwebkit2gtk-4.1-0*) ;; *) fail "libwebkit2gtk-4.1-0 is not a dependency: $deps" ;; esac
case "$deps" in *libayatana-appindicator3-1*) ;; *) fail "libayatana-appindicator3-1 (the tray) is not a dependency: $deps" ;; esac
case "$deps" in *-dev*) fail "a -dev package is a dependency: $deps" ;; esac
version=$(/usr/bin/clausebook --version) || fail "clausebook --version"
echo "package test: $version; depends: $deps"

# An officer's register, in a home of its own, made by the installed CLI.
export HOME="$work/home" XDG_DATA_HOME="$work/home/.local/share" XDG_CONFIG_HOME="$work/home/.config" XDG_CACHE_HOME="$work/home/.cache"
mkdir -p "$HOME"
/usr/bin/clausebook demo >/dev/null
register="$XDG_DATA_HOME/org.clausebook.app/clausebook.sqlite3"
[ -s "$register" ] || fail "the CLI did not make $register"

# The desktop entry's command, as the desktop would run it.
exec_line=$(sed -n 's/^Exec=//p' "$desktop" | head -1)
app=$(command -v "${exec_line%% *}") || fail "the desktop entry's command $exec_line is not on PATH"
export CLAUSEBOOK_PACKAGE_APP="$app"
shots="$PWD/artifacts/screenshots"
mkdir -p "$shots"
export CLAUSEBOOK_PACKAGE_SHOT="$shots/package-installed-app.png"
CLAUSEBOOK_DRIVER_LOG="$work/tauri-driver.log" tests/lib/with-driver.sh node tests/package/check.mjs \
  || { tail -20 "$work/tauri-driver.log"; fail "the installed app did not show the dashboard"; }

# Removing the program keeps the officer's data.
sum=$(sha256sum "$register" | cut -d" " -f1)
$sudo_cmd apt-get remove -y -qq clausebook >/dev/null
[ ! -e /usr/bin/clausebook-app ] || fail "the app is still installed after removal"
[ -s "$register" ] || fail "removing the package removed the register"
[ "$(sha256sum "$register" | cut -d" " -f1)" = "$sum" ] || fail "removing the package changed the register"
echo "package test: ok: installed, started from its desktop entry, showed the dashboard, removed; the register is still there"
