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

# The demo and the test suite run with DEBUG on; production sets DEBUG=false.
export DEBUG ?= true

.PHONY: help setup run serve migrate seed test lint test-sqlite test-postgres clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-15s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt .python-version
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null || { \
	  echo "ERROR: Python 3.12 or newer is needed; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)." >&2; \
	  echo "       .python-version asks for $$(cat .python-version): 'pyenv install $$(cat .python-version)'," >&2; \
	  echo "       or run 'make PYTHON=/path/to/python3.13 ...'." >&2; \
	  exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check --quiet -r requirements.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# GOV.UK Frontend's built CSS points at /assets/; rewrite to a relative path
# so the files work under STATIC_URL.
$(VENDOR)/.copied: node_modules/.installed
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)
	cp $(GOVUK_DIST)/govuk-frontend.min.js $(VENDOR)/
	sed 's#url(/assets/#url(assets/#g' $(GOVUK_DIST)/govuk-frontend.min.css > $(VENDOR)/govuk-frontend.min.css
	cp -R $(GOVUK_DIST)/assets $(VENDOR)/assets
	@touch $@

setup: $(VENV)/.installed $(VENDOR)/.copied ## Virtualenv, Python and front-end dependencies

migrate: setup ## Apply database migrations
	$(PY) manage.py migrate --no-input

seed: migrate ## Load the demo agencies, staff and children (idempotent)
	$(PY) manage.py seed_demo

run: seed ## Set up, load the demo and serve on http://127.0.0.1:8000
	@$(PY) manage.py demo_sign_ins
	$(PY) manage.py runserver 127.0.0.1:8000

lint: setup ## ruff, formatting and missing migrations
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

test-sqlite: setup ## The test suite on SQLite
	DATABASE_URL=sqlite:///var/test.sqlite3 $(PY) -m pytest $(PYTEST_ARGS)

test-postgres: setup ## The test suite on PostgreSQL at TEST_POSTGRES_URL
	@if $(PY) tools/database_available.py "$(TEST_POSTGRES_URL)"; then \
	  DATABASE_URL="$(TEST_POSTGRES_URL)" $(PY) -m pytest $(PYTEST_ARGS); \
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

test: lint ## Lint, then the suite on SQLite and on PostgreSQL
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

clean: ## Remove the virtualenv, node_modules, copied assets and var/
	rm -rf $(VENV) node_modules $(VENDOR) var
