# Samskap developer commands. A newcomer needs two: `make run` and `make test`.
# Installs are guarded by stamp files, so a second run skips pip, npm and the static build.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
SAMSKAP_TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
PYTHON ?= $(shell command -v python3.11 || command -v python3)
CHROMIUM := /usr/bin/chromium

VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
# Stamps: pip reinstalls when pyproject.toml is newer, npm ci when the lock file is.
RUN_STAMP := $(VENV)/.samskap-installed
TEST_STAMP := $(VENV)/.samskap-installed-test
NPM_STAMP := node_modules/.samskap-npm-ci
STATIC := static/vendor/designsystemet.css static/vendor/theme.css \
          static/vendor/designsystemet-css.LICENSE static/vendor/designsystemet-theme.LICENSE \
          static/vendor/swagger-ui/swagger-ui.css static/vendor/swagger-ui/swagger-ui-bundle.js \
          static/vendor/htmx/htmx.min.js static/vendor/htmx/LICENSE

.PHONY: help run test test-pg lint fmt install install-test static chromium clean distclean

help: ## List the commands
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

run: $(RUN_STAMP) $(STATIC) ## Migrate, load demo data, serve on http://127.0.0.1:8000 (HOST=, PORT=)
	mkdir -p var
	$(BIN)/samskap migrate
	$(BIN)/samskap demo
	exec $(BIN)/samskap serve --host $(HOST) --port $(PORT)

test: $(TEST_STAMP) $(STATIC) chromium ## Run the test suite on SQLite (PYTEST_ARGS=... to pass options)
	env -u SAMSKAP_TEST_DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

test-pg: $(TEST_STAMP) $(STATIC) chromium ## Run the test suite on PostgreSQL (SAMSKAP_TEST_DATABASE_URL)
	SAMSKAP_TEST_DATABASE_URL='$(SAMSKAP_TEST_DATABASE_URL)' $(BIN)/pytest $(PYTEST_ARGS)

lint: $(TEST_STAMP) ## ruff check, ruff format --check, mypy --strict (all three run, then fail)
	@rc=0; \
	echo "$(BIN)/ruff check ."; $(BIN)/ruff check . || rc=1; \
	echo "$(BIN)/ruff format --check ."; $(BIN)/ruff format --check . || rc=1; \
	echo "$(BIN)/mypy --strict app"; $(BIN)/mypy --strict app || rc=1; \
	exit $$rc

fmt: $(TEST_STAMP) ## Format the code and apply ruff's safe fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

install: $(RUN_STAMP) $(STATIC) ## Install what `make run` needs
install-test: $(TEST_STAMP) $(STATIC) chromium ## Install what `make test` needs
static: $(STATIC) ## Build static/vendor/ from node_modules

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "make: python3.11 (or python3) is needed to create $(VENV)" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	touch $@

# The test extra includes the runtime dependencies, so it satisfies `make run` too.
$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[test]'
	touch $@ $(RUN_STAMP)

$(NPM_STAMP): package-lock.json package.json
	npm ci --no-audit --no-fund
	touch $@

$(STATIC) &: $(NPM_STAMP) scripts/build-static.mjs
	npm run --silent build

# The browser tests drive Debian's chromium through Playwright; install it only when missing.
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  echo "Installing Debian chromium for the browser tests"; \
	  if [ "$$(id -u)" -eq 0 ]; then sudo=; else sudo=sudo; fi; \
	  $$sudo apt-get update; \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	fi

.PHONY: messages
messages: $(RUN_STAMP) ## Extract the translatable strings and update the nb, sv and en catalogues
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext --ignore-dirs '.* ._ node_modules var static' \
	  --add-location file --sort-by-file \
	  --project Samskap --copyright-holder 'Samskap contributors' -o app/translations/messages.pot .
	for lang in nb sv en; do \
	  $(BIN)/pybabel update --init-missing --no-fuzzy-matching --ignore-obsolete \
	    -i app/translations/messages.pot -d app/translations -l $$lang; \
	done
	@# English is the source language: its catalogue repeats each new message as its own translation.
	$(BIN)/python -c 'import sys; from babel.messages.pofile import read_po, write_po; \
	  path = sys.argv[1]; catalog = read_po(open(path, "rb"), locale="en"); \
	  [setattr(m, "string", m.id) for m in catalog if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])]; \
	  write_po(open(path, "wb"), catalog, width=76)' app/translations/en/LC_MESSAGES/messages.po

clean: ## Remove generated files and caches (keeps .venv, node_modules and var/)
	rm -rf static/vendor .pytest_cache .mypy_cache .ruff_cache build *.egg-info
	find . \( -path ./.venv -o -path ./node_modules -o -path ./.git \) -prune \
	  -o -type d -name __pycache__ -prune -exec rm -rf {} +

distclean: clean ## Also remove .venv and node_modules
	rm -rf $(VENV) node_modules

# The benchmark drives the servers with wrk; install Debian's package only when missing.
.PHONY: bench bench-votes wrk
bench: $(RUN_STAMP) wrk ## Benchmark public pages and API reads with wrk beside a minimal page, on PostgreSQL (BENCH_ARGS=)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

bench-votes: $(RUN_STAMP) wrk ## Benchmark votes through the ballot API with wrk, on PostgreSQL and Redis, and check none is lost (BENCH_ARGS=)
	$(BIN)/python bench/votes.py $(BENCH_ARGS)

wrk:
	@if ! command -v wrk >/dev/null; then \
	  echo "Installing Debian wrk for the benchmark"; \
	  if [ "$$(id -u)" -eq 0 ]; then sudo=; else sudo=sudo; fi; \
	  $$sudo apt-get update; \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y wrk; \
	fi
