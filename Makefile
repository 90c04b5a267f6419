# Simpul: the two commands a fresh machine needs are `make run` and `make test`.
# Everything here needs only Python 3.11+ and pip, except the browser tests (Debian's chromium) and
# `make messages` (GNU gettext, developers only).

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:
.DELETE_ON_ERROR:
MAKEFLAGS += --no-print-directory

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SIMPUL := $(BIN)/simpul
STAMP := $(VENV)/.simpul-installed
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
PG_HOST ?= 127.0.0.1
PG_PORT ?= 5432

# XStatic-Bootstrap is built from an sdist whose setup.py needs setuptools<81 (docs/decisions/0002).
export PIP_CONSTRAINT := $(CURDIR)/constraints-build.txt
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup run test test-unit test-postgres test-browser lint format messages compilemessages \
	messages-check clean help

help:
	@echo "make run      install (once), migrate, load the demo and serve on http://$(HOST):$(PORT)/"
	@echo "make test     lint, migration check, tests on SQLite, PostgreSQL (when reachable) and chromium"
	@echo "make setup | lint | format | messages | messages-check | compilemessages | clean"

# --- Installation ----------------------------------------------------------------------------------
# The stamp is newer than the lock file and pyproject.toml once they are installed, so `make setup`
# reinstalls only when one of them changes.
$(STAMP): requirements.lock pyproject.toml constraints-build.txt
	if [ ! -x $(BIN)/python ]; then $(PYTHON) -m venv $(VENV); fi
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# The .mo catalogues are build output (git-ignored), compiled in pure Python whenever a .po changes.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard simpul/locale/*/LC_MESSAGES/django.po))

%.mo: %.po $(STAMP)
	$(SIMPUL) compiletranslations

setup: $(STAMP) $(MO_FILES)

compilemessages: $(STAMP)
	$(SIMPUL) compiletranslations

# --- Running ---------------------------------------------------------------------------------------
run: setup
	@export SIMPUL_LOG_FORMAT="$${SIMPUL_LOG_FORMAT:-text}"
	$(SIMPUL) migrate --noinput
	$(SIMPUL) demo
	pids=()
	cleanup() { if [ $${#pids[@]} -gt 0 ]; then kill "$${pids[@]}" 2>/dev/null || true; wait || true; fi; }
	trap cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	if $(SIMPUL) help worker >/dev/null 2>&1; then
		$(SIMPUL) worker &
		pids+=($$!)
	else
		echo "(simpul worker is not available: background jobs are not processed)"
	fi
	$(BIN)/python - <<-'EOF'
		import os
		os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simpul.settings")
		import django
		django.setup()
		from django.conf import settings
		from simpul.core.management.commands.demo import demo_password
		from simpul.core.modules import demo_users
		from simpul.core.permissions import roles
		password, _generated = demo_password()
		source = "SIMPUL_DEMO_PASSWORD" if os.environ.get("SIMPUL_DEMO_PASSWORD") else str(settings.VAR_DIR / "demo-password")
		line = "=" * 72
		print(line)
		print("Simpul berjalan di  http://$(HOST):$(PORT)/   (Ctrl-C untuk berhenti)")
		print("Login demo (semua memakai kata sandi yang sama):")
		for user in demo_users(): print(f"  {user.username:<22} {roles()[user.role].label}")
		print(f"Kata sandi demo:    {password}   (dari {source})")
		print(line, flush=True)
	EOF
	$(BIN)/gunicorn simpul.wsgi:application --bind "$(HOST):$(PORT)" --workers $(WORKERS) \
		--access-logfile - --graceful-timeout 5 &
	server=$$!
	pids+=($$server)
	wait $$server

# --- Checks ----------------------------------------------------------------------------------------
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: setup
	$(MAKE) lint
	$(SIMPUL) makemigrations --check --dry-run
	$(MAKE) test-unit
	$(MAKE) test-postgres
	$(MAKE) test-browser

# pytest-xdist workers for the tests that do not commit; those that do (marked `serial` by conftest.py)
# run afterwards in one process, since each ends by emptying the test database.
TEST_WORKERS ?= auto
PARALLEL := -n $(TEST_WORKERS) --dist loadfile

# SQLite, the embedded default. pytest exits 5 when it collects no test: that fails the run too.
test-unit: setup
	$(BIN)/pytest -m "not browser and not serial" -q $(PARALLEL)
	$(BIN)/pytest -m "not browser and serial" -q

# The same tests on PostgreSQL when a server answers on $(PG_HOST):$(PG_PORT) (user postgres, trust).
# pytest-django creates test_<name> fresh (--create-db); the name carries this shell's pid, the database
# is dropped afterwards even when the run fails, and those of earlier killed runs are dropped first.
test-postgres: setup
	if ! $(BIN)/python -c "import socket; socket.create_connection(('$(PG_HOST)', $(PG_PORT)), timeout=2).close()" 2>/dev/null; then
		echo "PostgreSQL is not reachable on $(PG_HOST):$(PG_PORT): skipping the PostgreSQL run."
		exit 0
	fi
	name="simpul_ci_$$$$"
	export PGHOST=$(PG_HOST) PGPORT=$(PG_PORT)
	$(BIN)/python scripts/pg_test_databases.py leftovers
	trap '$(BIN)/python scripts/pg_test_databases.py drop "$$name"' EXIT
	export DATABASE_URL="postgres://postgres@$(PG_HOST):$(PG_PORT)/$$name"
	$(BIN)/pytest -m "not browser and not serial" -q --create-db $(PARALLEL)
	$(BIN)/pytest -m "not browser and serial" -q --create-db

# Real chromium through Playwright. Debian's package is installed when none is on PATH.
test-browser: setup
	if ! $(BIN)/python -c "import shutil, sys; sys.exit(shutil.which('chromium') is None)"; then
		sudo=""
		if [ "$$(id -u)" != 0 ]; then sudo="sudo"; fi
		export DEBIAN_FRONTEND=noninteractive
		$$sudo apt-get update
		$$sudo apt-get install -y --no-install-recommends chromium
	fi
	$(BIN)/pytest -m browser -q -n $(TEST_WORKERS) --dist load

# --- Translations ----------------------------------------------------------------------------------
# Extract the strings of the simpul package into simpul/locale/id (needs GNU gettext: developers only).
messages: $(STAMP)
	cd simpul
	../$(SIMPUL) makemessages -l id --ignore=tests --ignore=migrations --no-obsolete
	cd ..
	$(SIMPUL) compiletranslations --check || true

# List entries that are untranslated, fuzzy or whose placeholders differ; fails when there are any.
messages-check: $(STAMP)
	$(SIMPUL) compiletranslations --check

# --- Cleaning --------------------------------------------------------------------------------------
# Removes the virtualenv and build output; keeps var/ (the embedded database, uploads and secrets).
clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .hypothesis .ruff_cache test-artifacts
	find simpul -name '__pycache__' -type d -prune -exec rm -rf {} +
	find simpul/locale -name '*.mo' -delete 2>/dev/null || true
