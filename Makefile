# Two commands do all set-up on a fresh machine with python3 and make:
#   make demo   run the platform on embedded defaults
#   make test   lint, types, import contracts and the whole suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
LOCK := requirements/dev.lock
BENCH_LOCK := requirements/bench.lock
STAMP := $(VENV)/.synced-dev
BENCH_STAMP := $(VENV)/.synced-bench
DEMO_DIR ?= .jts-demo

.PHONY: help demo test test-deps lint types contracts pytest bench lock clean

help:
	@echo "make demo   run the platform on embedded defaults (SQLite, DuckDB, in-process bus)"
	@echo "make test   ruff, mypy --strict, import contracts and the whole test suite"
	@echo "make bench  every benchmark, one JSON line per figure"
	@echo "make lock   re-resolve requirements/*.lock from pyproject.toml"

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(STAMP): $(BIN)/uv $(LOCK) pyproject.toml
	$(BIN)/uv pip sync --quiet --python $(BIN)/python $(LOCK)
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@rm -f $(BENCH_STAMP)
	@touch $@

$(BENCH_STAMP): $(BIN)/uv $(BENCH_LOCK) pyproject.toml
	$(BIN)/uv pip sync --quiet --python $(BIN)/python $(BENCH_LOCK)
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@rm -f $(STAMP)
	@touch $@ $(STAMP)

demo: $(STAMP)
	JTS_HOME=$(DEMO_DIR) $(BIN)/jts demo

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

types: $(STAMP)
	$(BIN)/mypy

contracts: $(STAMP)
	$(BIN)/lint-imports

# Browser tests need Debian's chromium; the script installs it when run as root (CI) and
# otherwise says what to install (those tests then skip outside CI).
test-deps:
	@bash scripts/install-chromium.sh || [ "$${CI:-}" != "true" ]

pytest: $(STAMP) test-deps
	$(BIN)/python -m pytest -q -p no:cacheprovider

test: lint types contracts pytest

bench: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks

lock: $(BIN)/uv
	$(BIN)/uv pip compile --quiet --python-version 3.11 pyproject.toml --extra test -o $(LOCK)
	$(BIN)/uv pip compile --quiet --python-version 3.11 pyproject.toml --extra test --extra bench -o $(BENCH_LOCK)

clean:
	rm -rf $(VENV) $(DEMO_DIR) .mypy_cache .ruff_cache .pytest_cache .hypothesis
