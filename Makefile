# Set-up, run and test. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
VENDOR := static/vendor/govuk
GOVUK_DIST := node_modules/govuk-frontend/dist/govuk
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=
# make run: the port the demo serves on (http://127.0.0.1:$(PORT)).
PORT ?= 8000
# Test processes: one per core (pytest-xdist); PYTEST_WORKERS=0 runs in this process alone.
PYTEST_WORKERS ?= 2
# Generated test data (tests/random_seed.py): the SQLite run draws it from a
# fixed seed, the PostgreSQL run from a new one each time (printed in its header).
TEST_SEED_FIXED ?= 20261205
# make bench: its own database, and the size seed_scale gives it when it is empty.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bench
BENCH_SQLITE_PATH ?= var/bench.sqlite3
BENCH_CHILDREN ?= 100000
BENCH_RECORDS ?= 1000000
ARGS ?=

# The demo and the test suite run with DEBUG on; production sets DEBUG=false.
export DEBUG ?= true

.PHONY: help setup requirements run serve migrate seed test lint test-sqlite test-postgres test-reliability test-production security clean bench

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-15s %s\n", $$1, $$2}'

# Requirements (ASVS 15.2): requirements/base.in (what production runs) and
# requirements/dev.in (tests and tooling, with base) are pinned with every
# dependency and its hashes into requirements.txt and requirements-dev.txt by
# `make requirements`. The virtualenv installs requirements-dev.txt, and pip
# refuses anything not pinned with a matching hash; production installs
# requirements.txt the same way (docs/operations.md).
PIP_TOOLS ?= pip-tools==7.7.0
PIP_COMPILE_ARGS := --quiet --generate-hashes --no-emit-index-url --no-emit-find-links --strip-extras

$(VENV)/.installed: requirements.txt requirements-dev.txt .python-version
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null || { \
	  echo "ERROR: Python 3.12 or newer is needed; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)." >&2; \
	  echo "       .python-version asks for $$(cat .python-version): 'pyenv install $$(cat .python-version)'," >&2; \
	  echo "       or run 'make PYTHON=/path/to/python3.13 ...'." >&2; \
	  exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check --quiet --require-hashes -r requirements-dev.txt
	@touch $@

# pip-tools runs in a virtualenv of its own, made for the purpose and thrown
# away, never in .venv: it is not part of the service. Existing pins are kept
# unless the .in files ask otherwise; to move a package on, delete its lines
# (or the whole file) first. Run it with the Python of .python-version: the
# pins are for that version.
requirements: ## Pin requirements/*.in, with hashes, into requirements.txt and requirements-dev.txt
	@tools=$$(mktemp -d) && trap 'rm -rf "$$tools"' EXIT && \
	  $(PYTHON) -m venv "$$tools" && "$$tools/bin/pip" install --disable-pip-version-check --quiet "$(PIP_TOOLS)" && \
	  "$$tools/bin/pip-compile" $(PIP_COMPILE_ARGS) --output-file requirements.txt requirements/base.in && \
	  "$$tools/bin/pip-compile" $(PIP_COMPILE_ARGS) --output-file requirements-dev.txt requirements/dev.in

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "ERROR: npm is needed to fetch GOV.UK Frontend: install Node.js and npm (Debian: apt-get install nodejs npm)." >&2; \
	  exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# GOV.UK Frontend's CSS is built from its Sass with a system font stack
# (frontend/govuk-frontend.scss; ADR 5): its precompiled CSS uses GDS
# Transport, licensed for GOV.UK only. Its JavaScript and images are copied.
$(VENDOR)/.copied: node_modules/.installed frontend/govuk-frontend.scss
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)
	cp $(GOVUK_DIST)/govuk-frontend.min.js $(VENDOR)/
	node_modules/.bin/sass --load-path=node_modules --style=compressed --no-source-map \
	  --quiet-deps --silence-deprecation=import \
	  frontend/govuk-frontend.scss $(VENDOR)/govuk-frontend.min.css
	cp -R $(GOVUK_DIST)/assets $(VENDOR)/assets
	rm -rf $(VENDOR)/assets/fonts $(VENDOR)/assets/rebrand/fonts
	@touch $@

setup: $(VENV)/.installed $(VENDOR)/.copied ## Virtualenv, Python and front-end dependencies

migrate: setup ## Apply database migrations
	@$(PY) manage.py migrate --no-input --verbosity 0 && echo "Database migrated."

seed: migrate ## Load the demo agencies, staff and children (idempotent)
	$(PY) manage.py seed_demo

# The demo signs in with a password alone (with DEBUG off, TWO_FACTOR=off fails
# the system checks and the server refuses to start); `make run
# TWO_FACTOR=everyone` tries the second step (passkeys at http://localhost:8000).
run: export TWO_FACTOR ?= off
run: export PASSKEY_ORIGINS ?= http://localhost:$(PORT)
# Links in the emails the worker sends (var/mail/) point at this server, whatever its port.
run: export SERVICE_URL ?= http://localhost:$(PORT)
# The background worker runs beside the server and stops with it (ADR 23): it
# runs the tasks the service enqueues (emails, daily checks) and the periodic
# ones, among them the ledger's sequencing and checkpoints (ADR 13).
run: seed ## Set up, load the demo and serve on http://127.0.0.1:8000 (PORT=8001: another port), with the background worker
	@$(PY) manage.py demo_sign_ins --port $(PORT)
	@$(PY) manage.py worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: setup ## ruff, formatting, the three floors (import-linter), views without managers, missing migrations
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) tools/views_touch_no_manager.py
	$(PY) manage.py makemigrations --check --dry-run

# The browser tests run once, on PostgreSQL, production's database (docs/adr/0019-test-runs.md);
# every page is still requested on SQLite through the test client. SQLITE_TESTS= runs them here too.
SQLITE_TESTS ?= -m "not browser"

test-sqlite: setup ## The test suite on SQLite, but for the browser tests
	TEST_SEED="$${TEST_SEED:-$(TEST_SEED_FIXED)}" DATABASE_URL=sqlite:///var/test.sqlite3 \
	  $(PY) -m pytest -n $(PYTEST_WORKERS) $(SQLITE_TESTS) $(PYTEST_ARGS)

# PostgreSQL in two passes (docs/adr/0019-test-runs.md). First every test that can, connected as the
# service's database role, which may only SELECT and INSERT on the records written once
# (docs/operations.md, "Database roles"): proof that the privileges it is granted are enough. The
# test database is migrated as the owner (the user of TEST_POSTGRES_URL). Then, as the owner, the
# tests that need the owner's rights: the browser tests and the others that empty tables or drop
# triggers (tests/conftest.py says which), and the reliability tests (faults, concurrency, backups:
# what test-reliability runs, but for the generated form posts). Those run in the service's pass, at
# twenty a form (the reliability profile): bad input is hunted on production's database as
# production's role, where a write the role may not make would show as well.
# What both passes run (all of it unless named); tests/conftest.py puts each test in its pass.
POSTGRES_TESTS ?=

test-postgres: setup ## The test suite on PostgreSQL at TEST_POSTGRES_URL: as the service's role, then as the owner
	@if $(PY) tools/database_available.py "$(TEST_POSTGRES_URL)"; then \
	  TEST_DATABASE_ROLE=service HYPOTHESIS_PROFILE="$${HYPOTHESIS_PROFILE:-reliability}" DATABASE_URL="$(TEST_POSTGRES_URL)" \
	    $(PY) -m pytest -n $(PYTEST_WORKERS) $(POSTGRES_TESTS) $(PYTEST_ARGS) && \
	  TEST_DATABASE_ROLE=owner HYPOTHESIS_PROFILE="$${HYPOTHESIS_PROFILE:-reliability}" DATABASE_URL="$(TEST_POSTGRES_URL)" \
	    $(PY) -m pytest -n $(PYTEST_WORKERS) $(POSTGRES_TESTS) $(PYTEST_ARGS); \
	elif [ "$${CI:-}" = "true" ]; then \
	  echo "ERROR: PostgreSQL at $(TEST_POSTGRES_URL) is not answering; CI must test on it." >&2; exit 1; \
	else \
	  echo ""; \
	  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	  echo "!! PostgreSQL at $(TEST_POSTGRES_URL) is not answering."; \
	  echo "!! The PostgreSQL run of the suite was SKIPPED. CI will not skip it."; \
	  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	  echo ""; \
	fi

# The application packages bandit reads (those that exist), and the service
# pip-audit asks about known vulnerabilities (pypi or osv).
SECURITY_PACKAGES := $(wildcard config core worker ledger records sharing consent exchange advice accounts audit oversight bundles subject_access about)
PIP_AUDIT_SERVICE ?= pypi

# Production needs the ledger's signing key in a file of its own and a witness
# store: the check runs with a key made for it in a temporary folder.
security: setup ## Deployment checklist on production settings, bandit, pip-audit
	@keys=$$(mktemp -d) && trap 'rm -rf "$$keys"' EXIT && \
	  $(PY) manage.py ledger generate-key "$$keys/signing.key" >/dev/null && \
	  DEBUG=false ALLOWED_HOSTS=service.example SERVICE_URL=https://service.example LEDGER_SIGNING_KEY_FILE="$$keys/signing.key" \
	  LEDGER_WITNESS_DIR="$$keys/witness" \
	  SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	  $(PY) manage.py check --deploy --fail-level WARNING
	$(VENV)/bin/bandit -c pyproject.toml -r $(SECURITY_PACKAGES) --severity-level medium --quiet
	@if $(PY) tools/vulnerability_service_available.py $(PIP_AUDIT_SERVICE); then \
	  echo "pip-audit -r requirements-dev.txt (production's and the tools'; --vulnerability-service $(PIP_AUDIT_SERVICE))"; \
	  $(VENV)/bin/pip-audit -r requirements-dev.txt --no-deps --disable-pip --require-hashes --strict \
	    --vulnerability-service $(PIP_AUDIT_SERVICE) --progress-spinner off; \
	elif [ "$${PIP_AUDIT_REQUIRED:-}" = "true" ]; then \
	  echo "ERROR: pip-audit's vulnerability service ($(PIP_AUDIT_SERVICE)) is not answering." >&2; exit 1; \
	else \
	  echo ""; \
	  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	  echo "!! pip-audit's vulnerability service ($(PIP_AUDIT_SERVICE)) is not answering from here."; \
	  echo "!! The audit of requirements-dev.txt was SKIPPED (PIP_AUDIT_REQUIRED=true makes this fail)."; \
	  echo "!! Try PIP_AUDIT_SERVICE=osv, or run 'make security' where it answers."; \
	  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	  echo ""; \
	fi

test-reliability: setup ## Faults, concurrency and twice the generated bad input, on PostgreSQL (docs/reliability.md)
	@if $(PY) tools/database_available.py "$(TEST_POSTGRES_URL)"; then \
	  HYPOTHESIS_PROFILE=reliability DATABASE_URL="$(TEST_POSTGRES_URL)" $(PY) -m pytest -n 2 tests/reliability $(PYTEST_ARGS); \
	else \
	  echo "ERROR: PostgreSQL at $(TEST_POSTGRES_URL) is not answering; the reliability tests need it." >&2; exit 1; \
	fi

# The service started as docs/deploy.md says (DEBUG off, collectstatic, gunicorn with gunicorn.conf.py, the
# worker, the least-privilege database role) in a database and roles of its own, made and dropped by
# tools/production_smoke.py; it checks /healthz, a hashed static file, a sign-in and the logs.
test-production: setup ## The service started as in production (docs/deploy.md), on PostgreSQL at TEST_POSTGRES_URL
	@if $(PY) tools/database_available.py "$(TEST_POSTGRES_URL)"; then \
	  $(PY) tools/production_smoke.py "$(TEST_POSTGRES_URL)"; \
	elif [ "$${CI:-}" = "true" ]; then \
	  echo "ERROR: PostgreSQL at $(TEST_POSTGRES_URL) is not answering; CI must start the service on it." >&2; exit 1; \
	else \
	  echo "!! PostgreSQL at $(TEST_POSTGRES_URL) is not answering: the production smoke test was SKIPPED."; \
	fi

# test-reliability is not named: test-postgres runs all of it, the form posts in its first pass and the
# rest in its second.
test: lint ## Lint, the suite on SQLite and on PostgreSQL (as the service's role, then the owner, reliability included), security, production start
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres
	$(MAKE) --no-print-directory security
	$(MAKE) --no-print-directory test-production

# Creates and migrates the database, seeds it with seed_scale when it holds no
# children, then serves it with gunicorn and measures (bench/run.py).
# gunicorn runs with DEBUG off, so pages name the hashed static files that collectstatic writes (ADR 28).
bench: setup ## Benchmark on PostgreSQL at BENCH_DATABASE_URL (ARGS=--sqlite: SQLite); docs/performance.md
	DEBUG=false $(PY) manage.py collectstatic --no-input --verbosity 0
	BENCH_DATABASE_URL="$(BENCH_DATABASE_URL)" BENCH_SQLITE_PATH="$(BENCH_SQLITE_PATH)" \
	  BENCH_CHILDREN="$(BENCH_CHILDREN)" BENCH_RECORDS="$(BENCH_RECORDS)" $(PY) bench/run.py --prepare $(ARGS)

clean: ## Remove the virtualenv, node_modules, copied assets and var/
	rm -rf $(VENV) node_modules $(VENDOR) var
