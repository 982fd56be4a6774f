# Clausebook. The two commands a newcomer needs:
#   make run    installs what is missing, builds, and opens the window (demo data on first start)
#   make test   installs what is missing, then runs every test, end-to-end and the installed package included
# Both are idempotent: scripts/setup.sh installs only what is missing.

SHELL := /bin/bash
# Build outputs live outside the clone so CI and fresh clones reuse a warm cache.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/clausebook/target
# The Node scripts/setup.sh fetches when the system's is too old (see
# scripts/node.sh); absent otherwise, and then this changes nothing.
export PATH := $(HOME)/.cache/clausebook/node/bin:$(PATH)
CARGO ?= cargo

.PHONY: setup setup-test reminder-test tray-test package package-test ui run test lint check-format clippy ui-check ui-test unit e2e bindings bench demo

setup:
	@bash scripts/setup.sh

## The web UI, built into ui/dist (the app embeds it at compile time).
ui: setup
	cd ui && npm run build --silent

## Opens the desktop app; the first start loads the demo data.
run: ui
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	  echo "make run: no display (DISPLAY and WAYLAND_DISPLAY are unset)."; \
	  echo "Run it from a desktop session, or headless under Xvfb: xvfb-run -a make run"; exit 1; fi
	$(CARGO) build --release --locked --bins
	$(CARGO_TARGET_DIR)/release/clausebook demo --if-empty
	$(CARGO_TARGET_DIR)/release/clausebook-app

## Every test.
test: ui lint ui-check ui-test unit setup-test reminder-test tray-test e2e package-test

lint: check-format clippy

check-format:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

ui-check:
	cd ui && npm run check

## The UI's vitest suites, over the real core through the IPC bridge
## (tests/bridge, an example of the root package), which is built first.
ui-test:
	$(CARGO) build --locked --example ipc-bridge
	cd ui && CLAUSEBOOK_BRIDGE=$(abspath $(CARGO_TARGET_DIR))/debug/examples/ipc-bridge npm test

unit:
	$(CARGO) test --workspace --locked

## The setup on a machine whose Node is too old (Debian 12's own): it must
## fetch a Node that builds the UI.
setup-test:
	bash tests/setup/node-fallback.sh

## Deadline reminders reach the desktop: the real app in a D-Bus session
## whose notification service is a test listener.
reminder-test: ui
	bash tests/reminders/notify.sh

## Closing to the tray and starting with the session: the real app in a
## D-Bus session whose tray is a test StatusNotifierWatcher.
tray-test: ui
	bash tests/tray/tray.sh

## The real app under Xvfb, driven over WebDriver; screenshots in artifacts/.
## Like every target that builds the app, it builds the UI first: the app
## embeds ui/dist, and a stale one fails steps that are not at fault.
e2e: ui
	bash tests/e2e/run.sh

## The .deb and .rpm packages, by Tauri's own bundler (packaging/: the npm
## @tauri-apps/cli, which builds both offline), with the command line
## installed as /usr/bin/clausebook beside the app. They land in
## $(CARGO_TARGET_DIR)/release/bundle/{deb,rpm}/.
## The binaries are stripped of the release profile's line tables (kept for
## profiling), which are four fifths of their size.
package: ui
	CARGO_PROFILE_RELEASE_DEBUG=false CARGO_PROFILE_RELEASE_STRIP=debuginfo \
	  $(CARGO) build --release --locked -p clausebook-core --bin clausebook
	CARGO_PROFILE_RELEASE_DEBUG=false CARGO_PROFILE_RELEASE_STRIP=debuginfo \
	  packaging/node_modules/.bin/tauri build --ci --bundles deb,rpm \
	  --config '{"bundle":{"linux":{"deb":{"files":$(call package_files,release)},"rpm":{"files":$(call package_files,release)}}}}' \
	  -- --locked
	@ls -1 $(CARGO_TARGET_DIR)/release/bundle/deb/*.deb $(CARGO_TARGET_DIR)/release/bundle/rpm/*.rpm
package_files = {"/usr/bin/clausebook":"$(CARGO_TARGET_DIR)/$(1)/clausebook"}

## Installs a .deb on this machine, starts the installed app under Xvfb,
## checks it, removes the package, and checks the register survived. The
## package is the same bundle built from the debug build `make test` has
## already made (a release build would double a CI run); `make package`
## builds the release one.
package-test: ui
	$(CARGO) build --locked -p clausebook-core --bin clausebook
	packaging/node_modules/.bin/tauri build --ci --debug --bundles deb \
	  --config '{"bundle":{"linux":{"deb":{"files":$(call package_files,debug)}}}}' \
	  -- --locked
	CLAUSEBOOK_PACKAGE_DEB=$$(ls -t $(CARGO_TARGET_DIR)/debug/bundle/deb/*.deb | head -1) bash tests/package/deb.sh

## Regenerates ui/src/lib/bindings.ts from the Rust commands.
bindings:
	UPDATE_BINDINGS=1 $(CARGO) test --locked --test bindings

## Loads the demo into the default database and shows the dashboard (no window).
demo: setup
	$(CARGO) run --locked -q -p clausebook-core --bin clausebook -- demo --if-empty
	$(CARGO) run --locked -q -p clausebook-core --bin clausebook -- dashboard

## Benchmarks that print figures against their targets: the register on a
## generated 1M-clause database, reports of 1,000 and 10,000 clauses,
## spreadsheet import and export against LibreOffice, and the app (cold
## start, memory, a 5,000-clause agreement), and the crash test with 200
## kills (backups and restores among them).
bench: ui
	@CLAUSEBOOK_SETUP_BENCH=1 bash scripts/setup.sh
	$(CARGO) build --release --locked -p clausebook-core --bin clausebook
	$(CARGO) bench --locked -p clausebook-core --bench register
	$(CARGO) bench --locked -p clausebook-core --bench report
	$(CARGO) bench --locked -p clausebook-core --bench sheets
	CLAUSEBOOK_CRASH_KILLS=200 $(CARGO) test --locked -p clausebook-core --test crash
	bash scripts/bench-app.sh
