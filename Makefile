# accountdesk: `make run` serves the demo, `make test` runs every test.
SHELL := /bin/bash
PORT ?= 8000
DEMO_CUSTOMERS ?= 300
# uv from PATH, else the one `make python-deps` installs with pip (run through Python, so it is
# found wherever pip put it).
UV := $(shell command -v uv 2>/dev/null || echo python3 -m uv)
RUN := $(UV) run --frozen
CHROMIUM ?= /usr/bin/chromium
VENDOR := src/accountdesk/static/vendor

.PHONY: install system-deps python-deps assets chromium poppler migrate demo run test test-fast fuzz fuzz-long lint format bench reliability

install: system-deps python-deps assets

# WeasyPrint (invoice and export PDFs) needs Pango, and subsets fonts with HarfBuzz's subsetter (without
# it, with fontTools: about half a second more per PDF); Debian's fonts give PDFs and screenshots real glyphs.
system-deps:
	@if ! ldconfig -p | grep -q 'libpangoft2-1.0.so.0' || ! ldconfig -p | grep -q 'libharfbuzz-subset.so.0' \
		|| [ ! -d /usr/share/fonts/truetype/dejavu ]; then \
		echo "Installing Pango, HarfBuzz's subsetter and fonts for PDF rendering"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null; \
	fi

python-deps:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 \
		|| python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv
	$(UV) sync --frozen --quiet

# Front-end packages come from npm (package-lock.json) and are copied into static files.
assets: $(VENDOR)/.stamp

$(VENDOR)/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	cp node_modules/uplot/dist/uPlot.iife.min.js $(VENDOR)/uplot.min.js
	cp node_modules/uplot/dist/uPlot.min.css $(VENDOR)/uplot.min.css
	cp node_modules/axe-core/axe.min.js $(VENDOR)/axe.min.js
	touch $@

# Browser journeys drive Debian's Chromium; install it when it is missing.
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		echo "Installing Debian's chromium for the browser tests"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	fi

# The statement PDF test reads the PDF's text with poppler's pdftotext; install it when it is missing.
poppler:
	@if ! command -v pdftotext >/dev/null 2>&1; then \
		echo "Installing poppler-utils (pdftotext) for the statement PDF test"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq poppler-utils >/dev/null; \
	fi

migrate: install
	$(RUN) accountdesk migrate --noinput -v0
	$(RUN) accountdesk createcachetable

demo: migrate
	$(RUN) accountdesk demo --if-empty --customers $(DEMO_CUSTOMERS)

# Served like production (DEBUG off: our error pages, never a debug page; WhiteNoise serves the
# static files straight from the source tree, so no collectstatic is needed) but over plain HTTP on
# this machine. `ACCOUNTDESK_DEBUG=1 make run` gives Django's debug pages.
run: demo
	@$(RUN) accountdesk demo --print-logins
	ACCOUNTDESK_DEBUG=$${ACCOUNTDESK_DEBUG:-0} \
	ACCOUNTDESK_MANIFEST_STATIC=$${ACCOUNTDESK_MANIFEST_STATIC:-0} \
	ACCOUNTDESK_SSL_REDIRECT=$${ACCOUNTDESK_SSL_REDIRECT:-0} \
	ACCOUNTDESK_SECURE_COOKIES=$${ACCOUNTDESK_SECURE_COOKIES:-0} \
	$(RUN) accountdesk runserver 0.0.0.0:$(PORT)

test: install chromium poppler
	$(RUN) pytest -q -n 2 --dist loadfile $(PYTEST_ARGS)

# The API fuzzing run (tests/fuzz, marker `fuzz`, left out of `make test`): schemathesis sends every
# operation of /api/openapi.json, as each role, valid and invalid input, and fails on any server error
# or response that breaks its documented schema. A fixed seed and a few examples per operation keep
# CI's run within minutes; the figures print at the end (ACCOUNTDESK_FUZZ_REPORT=file.json keeps them).
FUZZ_EXAMPLES ?= 4
fuzz: install
	ACCOUNTDESK_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(RUN) pytest -q -n 2 -m fuzz tests/fuzz $(PYTEST_ARGS)

# Before a release: many more examples, a new seed each time, and the money invariants over many
# more and longer random histories (the `long` Hypothesis profile).
fuzz-long: install
	ACCOUNTDESK_FUZZ_EXAMPLES=40 ACCOUNTDESK_FUZZ_RANDOM=1 $(RUN) pytest -q -n 2 -m fuzz tests/fuzz $(PYTEST_ARGS)
	HYPOTHESIS_PROFILE=long $(RUN) pytest -q -n 2 tests/billing/test_money_invariants.py tests/billing/test_properties.py

# Style, the layers (import-linter contracts in pyproject.toml) and types (mypy with django-stubs).
lint:
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) lint-imports
	$(RUN) mypy

format:
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

# Benchmarks (not tests): figures in the README. dashboard.py needs PostgreSQL (DATABASE_URL).
bench: install
	$(RUN) python bench/ledger.py
	$(RUN) python bench/usage.py
	$(RUN) python bench/dashboard.py
	$(RUN) python bench/asof.py

# Concurrency and faults on a private PostgreSQL server (its binaries must be installed): 50 writers
# on one customer and on fifty, and a database crash under load. Prints the figures.
reliability: install
	$(RUN) pytest -q -p no:xdist -m reliability tests/reliability
