# Clausebook: the two commands a newcomer needs are `make run` and `make test`.
# Both install what is missing first (scripts/setup.sh) and are safe to re-run.

SHELL := /bin/bash
# Build outputs live outside the clone so CI and fresh clones reuse a warm cache.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/clausebook/target
CARGO ?= cargo

.PHONY: setup test lint check-format clippy unit demo bench

setup:
	@bash scripts/setup.sh

## Every test: formatting, lints, unit, integration, crash and CLI tests.
test: setup lint unit

lint: check-format clippy

check-format:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

unit:
	$(CARGO) test --workspace --locked

## Load the demo into the default database and show the dashboard.
demo: setup
	$(CARGO) run --locked -q -p clausebook-core --bin clausebook -- demo
	$(CARGO) run --locked -q -p clausebook-core --bin clausebook -- dashboard

## The register benchmark on a generated 1M-clause database (prints figures).
bench: setup
	$(CARGO) bench --locked -p clausebook-core --bench register
