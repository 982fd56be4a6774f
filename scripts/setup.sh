#!/usr/bin/env bash
# Installs what Clausebook needs on a fresh Debian 12 / Ubuntu 22.04+ machine.
# Idempotent: it installs only what is missing, so it is safe to run before every build.
set -euo pipefail

# The Debian packages the build, the tests and the reports need.
apt_packages=(
  build-essential pkg-config   # C parts of bundled SQLite and friends
  poppler-utils qpdf           # pdftotext / pdftoppm / qpdf --check in report tests
)

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

command -v cargo >/dev/null || { echo "setup: cargo is missing; install Rust from rustup.rs, then re-run" >&2; exit 1; }
