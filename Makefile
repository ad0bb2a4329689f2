# Desk Pemilu: `make run` sets up and serves the app, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000
TEST_WORKERS ?= 2

.PHONY: run test lint typecheck pytest pytest-postgres bench screenshots clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/deskpemilu migrate --noinput
	$(BIN)/deskpemilu collectstatic --noinput --verbosity 0
	$(BIN)/deskpemilu seed_mataram
	$(BIN)/deskpemilu setup_demo
	# The notification worker (email, webhooks, SLA escalation) runs beside the server.
	$(BIN)/deskpemilu notify_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  PORT=$(PORT) $(BIN)/deskpemilu serve --port $(PORT)

test: $(STAMP) lint typecheck pytest pytest-postgres

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	DESKPEMILU_TESTING=1 $(BIN)/deskpemilu makemigrations --check --dry-run
	DESKPEMILU_TESTING=1 DESKPEMILU_PRODUCTION=1 DESKPEMILU_SITE_URL=https://desk.example.org DESKPEMILU_SECRET_KEY=check-deploy-$$RANDOM$$RANDOM$$RANDOM-not-a-real-key-but-long-enough-0123456789 \
	  DESKPEMILU_ALLOWED_HOSTS=desk.example.go.id $(BIN)/deskpemilu check --deploy --fail-level WARNING
	# Two workers (pytest-xdist): the suite is mostly waiting on SQLite and HTTP, and the
	# machine has two cores.
	DESKPEMILU_TESTING=1 $(BIN)/pytest -n $(TEST_WORKERS) --ignore=src/deskpemilu/browser
	# Browser tests in a process of their own: Playwright's event loop must not leak into the rest.
	DESKPEMILU_TESTING=1 $(BIN)/pytest src/deskpemilu/browser

# The same suite against a real PostgreSQL server that the harness starts and removes.
pytest-postgres: $(STAMP)
	DESKPEMILU_TESTING=1 $(BIN)/python -m deskpemilu.core.pgharness -- \
	  $(BIN)/pytest -n $(TEST_WORKERS) --ignore=src/deskpemilu/browser

# The README's screenshots from a real demo run (Chromium at /usr/bin/chromium; not in make test).
screenshots: $(STAMP)
	$(VENV)/bin/python scripts/screenshots.py

bench: $(STAMP)
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) var/test* build *.egg-info
