# 邻里通: two commands on a fresh machine.
#   make run   - install everything, migrate, load the demo community if the DB is empty, serve (production build)
#   make test  - install everything (plus Chromium, CJK fonts, PostgreSQL), ruff, the whole pytest suite
SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
BUN_DIR := tools/bun
BUN := $(BUN_DIR)/node_modules/.bin/bun
LIGHTHOUSE := tools/lighthouse/node_modules/.bin/lighthouse
AXE := tools/axe/node_modules/axe-core/axe.min.js
export PATH := $(CURDIR)/$(BUN_DIR)/node_modules/.bin:$(CURDIR)/$(VENV)/bin:$(PATH)
export REFLEX_USE_SYSTEM_BUN := 1
export REFLEX_TELEMETRY_ENABLED := false
export PYTHONDONTWRITEBYTECODE := 1
PORT ?= 3000
DEV_BACKEND_PORT ?= 8000
export APP_ORIGIN ?= http://localhost:$(PORT)

.PHONY: run dev test install system-deps test-deps migrate seed lint unit e2e screenshots bench bench-session bench-ws bench-ws-scale bench-district bench-pages test-hours migration clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

$(BUN): $(BUN_DIR)/package.json
	cd $(BUN_DIR) && npm install --no-audit --no-fund --loglevel=error
	$(BUN) --version
	touch $@

install: $(VENV)/.installed $(BUN)

# Lighthouse for make bench-pages, from the npm registry into a project folder (as bun is).
$(LIGHTHOUSE): tools/lighthouse/package.json
	cd tools/lighthouse && npm install --no-audit --no-fund --loglevel=error
	touch $@

# axe-core for the accessibility checks of the browser tests (tests/e2e/axe.py injects it).
$(AXE): tools/axe/package.json
	cd tools/axe && npm install --no-audit --no-fund --loglevel=error
	touch $@

# Debian packages the browser tests need (Chromium, CJK fonts), Redis for the scale-out run;
# PostgreSQL comes from scripts/ensure_postgres.sh.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing="$$missing fonts-noto-cjk"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

test-deps: install system-deps $(AXE)

migrate: install
	$(VENV)/bin/alembic upgrade head

seed: migrate
	$(PY) -m community_app.cli seed-demo --if-empty

# Production: one port serves the built frontend and the backend (Reflex 0.10 requires it).
run: seed
	$(VENV)/bin/reflex run --env prod --frontend-port $(PORT) --backend-port $(PORT)

# Hot reload watches the code only: by default Reflex watches every folder of the project, and
# the SQLite WAL file or an uploaded photo under data/ restarted the backend mid-event.
dev: seed
	REFLEX_HOT_RELOAD_OVERRIDE_PATHS=$(CURDIR)/community_app \
	API_URL=http://localhost:$(DEV_BACKEND_PORT) $(VENV)/bin/reflex run --env dev \
	  --frontend-port $(PORT) --backend-port $(DEV_BACKEND_PORT)

lint: install
	$(VENV)/bin/ruff check community_app tests benchmarks scripts alembic rxconfig.py

unit: install
	TEST_PG_URL=$$(bash scripts/ensure_postgres.sh) && export TEST_PG_URL && \
	$(VENV)/bin/pytest tests/unit -q

e2e: test-deps
	$(VENV)/bin/pytest tests/e2e -q

# Everything: unit tests on SQLite and PostgreSQL, browser tests on the embedded default
# (SQLite), then the browser tests again on PostgreSQL + Redis with two backend workers.
test: test-deps lint
	TEST_PG_URL=$$(bash scripts/ensure_postgres.sh) && export TEST_PG_URL && \
	$(VENV)/bin/pytest -q -p no:cacheprovider -n 2 tests/unit && \
	$(VENV)/bin/pytest -q -p no:cacheprovider tests/e2e && \
	$(PY) scripts/e2e_scale_out.py

screenshots: test-deps
	$(PY) scripts/screenshots.py

bench: install
	$(PY) benchmarks/rush.py --residents 500 --places 40

# Bytes per signed-in session: websocket traffic per page and the state kept in Redis.
bench-session: test-deps
	$(PY) benchmarks/session_weight.py

# The 义剪 rush over the real websocket: 300 signed-in sessions book 40 places (socket.io clients
# speaking as the browser) while 20 others click, beside a blank Reflex app (SQLite, one worker).
# Options after WS_ARGS=, e.g. make bench-ws WS_ARGS="--sessions 100 --profile /tmp/wsbench.svg".
bench-ws: install
	$(PY) benchmarks/ws_rush.py $(WS_ARGS)

# The same on PostgreSQL + Redis with two backend workers.
bench-ws-scale: test-deps
	TEST_PG_URL=$$(bash scripts/ensure_postgres.sh) && \
	$(PY) benchmarks/ws_rush.py --database-url "$$TEST_PG_URL" --redis-url auto --workers 2 $(WS_ARGS)

# A district (100 communities, 500k residents, 2M bookings): the staff home's and the register
# search's server time beside hand-written SQL. SCALE=0.1 for a tenth.
bench-district: install
	$(PY) benchmarks/district.py --scale $(or $(SCALE),1.0)

# Lighthouse (mobile defaults) on the resident pages (sign-in, 首页, 服务, 我的预约; signed in
# where it applies) beside a blank Reflex counter app built in the same run; medians of a few
# runs. Options after PAGES_ARGS=, e.g. make bench-pages PAGES_ARGS="--runs 9 --json /tmp/lh.json";
# PAGES_ARGS=--blank-radix builds the counter as `reflex init` makes it (with Radix Themes).
bench-pages: test-deps $(LIGHTHOUSE)
	$(PY) benchmarks/lighthouse.py $(PAGES_ARGS)

# The unit tests with the clock set to the hours that broke tests before (after midnight,
# late evening, the end of a week, month and year in Beijing): scripts/test_at_hours.py.
test-hours: install
	command -v faketime >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq faketime >/dev/null; }
	TEST_PG_URL=$$(bash scripts/ensure_postgres.sh) && export TEST_PG_URL && \
	$(PY) scripts/test_at_hours.py $(HOURS)

# Regenerate the migration after changing models (while the schema is still unreleased).
migration: install
	rm -f /tmp/_gen.db && DATABASE_URL=sqlite:////tmp/_gen.db $(VENV)/bin/alembic upgrade head && \
	DATABASE_URL=sqlite:////tmp/_gen.db $(VENV)/bin/alembic revision --autogenerate -m "$(MSG)"

clean:
	rm -rf .web .states data/community.db*
