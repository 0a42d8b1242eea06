# zhifa — two commands: `make demo` (install, demo data, serve) and `make test` (install, run every test).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
# pytest workers: one per core
WORKERS ?= auto

.PHONY: demo test install system-deps serve lint check-migrations test-sqlite test-postgres test-api-fuzz bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

## Debian packages the tests need (PostgreSQL server, Chromium) and the CJK font; needs root.
system-deps:
	scripts/system-deps.sh

demo: install system-deps
	$(BIN)/zhifa migrate --noinput
	$(BIN)/zhifa load_demo --if-empty
	@echo ""
	@echo "zhifa 已启动：http://$(HOST):$(PORT)/   （Ctrl+C 停止）"
	$(BIN)/zhifa runserver $(HOST):$(PORT) --noreload

serve: install
	$(BIN)/zhifa runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check zhifa tests benchmarks

check-migrations: install
	ZHIFA_VAR_DIR=$(CURDIR)/var/check $(BIN)/zhifa makemigrations --check --dry-run
	ZHIFA_VAR_DIR=$(CURDIR)/var/check $(BIN)/zhifa spectacular --validate --fail-on-warn --file /dev/null
	ZHIFA_VAR_DIR=$(CURDIR)/var/check $(BIN)/zhifa spectacular --validate --fail-on-warn --urlconf zhifa.core.api.public_root_urls --file /dev/null

test-sqlite: install
	$(BIN)/pytest -n $(WORKERS) --dist loadgroup

## The same suite (browser tests aside) against a real PostgreSQL server on loopback:
## ZHIFA_TEST_PG_URL if set (CI starts one), otherwise a throwaway server in its own temporary
## directory (reachable by the postgres user wherever the checkout lives), removed afterwards.
test-postgres: install
	scripts/with-postgres.sh $(BIN)/pytest -n $(WORKERS) -m "not browser"

## Every operation of the OpenAPI schema fuzzed by schemathesis against a server on loopback
## (demo data, an officer's and a supervisor's token); fails on any 5xx. Bounded by
## FUZZ_SECONDS per token (default 60).
test-api-fuzz: install
	scripts/api-fuzz.sh $(BIN)

test: install system-deps lint check-migrations test-sqlite test-postgres test-api-fuzz

## Issue #14 figures: chain verification at 100k/1M events, store_file beside openssl, decision
## search and portal throughput (SQLite; PostgreSQL too when ZHIFA_BENCH_PG_URL names an empty database).
bench: install
	$(BIN)/python -m benchmarks
	$(BIN)/python -m benchmarks.hashing --events 0
	$(BIN)/python -m benchmarks.chain
	if [ -n "$$ZHIFA_BENCH_PG_URL" ]; then ZHIFA_DATABASE_URL="$$ZHIFA_BENCH_PG_URL" $(BIN)/python -m benchmarks.chain; fi
	$(BIN)/python -m benchmarks.portal

clean:
	rm -rf $(VENV) var
