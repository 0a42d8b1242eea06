# zhifa — two commands: `make demo` (install, demo data, serve) and `make test` (install, run every test).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
# pytest workers: one per core
WORKERS ?= auto

.PHONY: demo test install system-deps serve worker lint check-migrations test-sqlite test-postgres test-api-fuzz test-smoke bench clean

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
	@echo "zhifa 已启动：http://$(HOST):$(PORT)/   （Ctrl+C 停止；后台任务工作进程同时运行，日志在 var/worker.log）"
	@# The task queue's worker (document PDFs, scheduled jobs) runs beside the web server on the
	@# same SQLite database and stops with it (docs/operations.md).
	@mkdir -p var; ZHIFA_WORKER_PROCESSES=$${ZHIFA_WORKER_PROCESSES:-1} $(BIN)/zhifa run_worker >var/worker.log 2>&1 & \
	  worker=$$!; trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  ZHIFA_DEMO_GUIDE=1 $(BIN)/zhifa runserver $(HOST):$(PORT) --noreload

serve: install
	$(BIN)/zhifa runserver $(HOST):$(PORT)

## The task queue's worker alone (development; `make demo` starts one itself).
worker: install
	$(BIN)/zhifa run_worker

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

## The production topology on loopback (deploy/): PostgreSQL, SeaweedFS's S3 gateway, two
## gunicorn web processes and SMOKE_WORKERS task workers (`zhifa run_worker`); one case through
## the HTTP API from upload to verification, the objects checked in the bucket. About two minutes.
SMOKE_WORKERS ?= 2
test-smoke: install
	SMOKE_WORKERS=$(SMOKE_WORKERS) scripts/smoke-topology.sh $(BIN)

test: install system-deps lint check-migrations test-sqlite test-postgres test-smoke test-api-fuzz

## Issue #14 figures (SQLite; PostgreSQL too when ZHIFA_BENCH_PG_URL names an empty database):
## the case list at 10k/100k/1M, officer/party/item lists at 10k/100k, chain verification at 100k/1M events, store_file beside openssl,
## decision search and portal throughput.
bench: install
	$(BIN)/python -m benchmarks
	$(BIN)/python -m benchmarks.caselist
	$(BIN)/python -m benchmarks.menu
	if [ -n "$${ZHIFA_BENCH_PG_URL:-}" ]; then $(BIN)/python -m benchmarks.caselist --pg "$$ZHIFA_BENCH_PG_URL"; fi
	$(BIN)/python -m benchmarks.registers
	$(BIN)/python -m benchmarks.hashing --events 0
	$(BIN)/python -m benchmarks.chain
	if [ -n "$${ZHIFA_BENCH_PG_URL:-}" ]; then ZHIFA_DATABASE_URL="$$ZHIFA_BENCH_PG_URL" $(BIN)/python -m benchmarks.chain; fi
	$(BIN)/python -m benchmarks.portal
	$(BIN)/python -m benchmarks.draws --db-targets 100000
	$(BIN)/python -m benchmarks.desk

clean:
	rm -rf $(VENV) var
