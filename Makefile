# Sightline: `make run` serves the app, `make test` runs lint and every test. Both do all set-up first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := webapp
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=

.PHONY: help setup venv assets translations translations-extract translations-update db db-stop migrate areas seed run dev test lint format browser redis gdal wrk import bench-import bench-photos bench-map bench-load bench-coverage bench-exports bench-agencies bench-agency-pages bench-searches bench-release agencies screenshots clean

help:
	@echo "make run      set everything up and serve on http://$(HOST):$(PORT) (gunicorn, the job worker, Redis)"
	@echo "make dev      the same with Flask's development server and its reloader"
	@echo "make test     set everything up, lint, then run the whole test suite (browser tests included)"
	@echo "make db       start the project's local PostGIS (make db-stop stops it)"
	@echo "make translations-update   extract the messages and merge them into webapp/translations/es (then translate)"
	@echo "make import   import data/'s OpenStreetMap cameras again (or FILE=path)"
	@echo "make screenshots   PNGs of the main pages (1280 and 360 px, English and Spanish) -> docs/screenshots/"
	@echo "make bench-import | bench-photos | bench-map | bench-load | bench-coverage | bench-exports | bench-agencies | bench-agency-pages | bench-searches | bench-release   benchmarks -> docs/benchmarks.md"

$(VENV)/.installed: requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

venv: $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

assets: node_modules/.installed

# The local PostGIS, unless DATABASE_URL points at another one.
db:
	@if [ -z "$$DATABASE_URL" ]; then scripts/pg start; else echo "db: using DATABASE_URL"; fi

db-stop:
	scripts/pg stop

# The catalogues: webapp/translations/<lang>/LC_MESSAGES/messages.po is the source (committed); the compiled .mo
# is built from it, and the template messages.pot is extracted from the code (neither is committed).
TRANSLATIONS := webapp/translations
CATALOGUES := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)
$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d $(TRANSLATIONS) -l $* -i $<

translations: $(COMPILED)

translations-extract: venv
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output --width 110 -o $(TRANSLATIONS)/messages.pot .

translations-update: translations-extract
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete --width 110 -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS)

setup: venv assets translations db

migrate: setup
	$(BIN)/flask db upgrade

# The real data the repository ships (data/SOURCES.md: sources, licences, credits), loaded by the first
# `make run` and skipped once loaded (--if-missing, --if-empty): the Census states and counties with population
# and road miles, The News & Observer's agencies and sharing relations, the US OpenStreetMap ALPR snapshot; then
# the operator texts of the cameras linked to agencies (fast when nothing changed) and a few pending demo
# reports for the review queue (never counted).
DATA := data
areas: migrate
	$(BIN)/flask areas import --if-missing $(DATA)/us-states-metrics.geojson.gz $(DATA)/us-counties-metrics.geojson.gz

agencies: areas
	$(BIN)/flask agencies import --if-missing $(DATA)/news-observer-private-eyes

seed: agencies
	$(BIN)/flask cameras import --if-empty $(DATA)/deflockhopper-maps-cameras-us.json.gz
	$(BIN)/flask cameras seed-demo-reports --if-empty
	$(BIN)/flask searches seed-demo --if-empty
	$(BIN)/flask agencies match

# The sweep at start removes files an interrupted upload may have left (older than its grace period); the
# export files are brought up to date, then scripts/serve runs Redis, the job worker with its scheduler (the
# export files then follow every change) and gunicorn with gunicorn.conf.py; one Ctrl-C stops them all.
run: seed redis gdal
	$(BIN)/flask maintenance sweep
	$(BIN)/flask opendata export
	HOST=$(HOST) PORT=$(PORT) scripts/serve

# The same with Flask's development server and its reloader instead of gunicorn (the worker does not reload).
dev: seed redis gdal
	$(BIN)/flask maintenance sweep
	HOST=$(HOST) PORT=$(PORT) scripts/serve dev

# Debian's Chromium drives the browser tests (never `playwright install`: it downloads a browser).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" -eq 0 ]; then \
	    echo "installing Debian's chromium with apt"; \
	    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; \
	  else echo "browser tests need Chromium: sudo apt-get install -y chromium" >&2; exit 1; fi; \
	fi

# Debian's redis-server, for `make run` (scripts/serve runs it) and the tests of what the app keeps in Redis
# (each starts its own on a free port).
redis:
	@scripts/redis install

# GDAL's ogrinfo reads the OpenStreetMap export back in the tests (Debian's gdal-bin).
gdal:
	@if ! command -v ogrinfo >/dev/null; then \
	  if [ "$$(id -u)" -eq 0 ]; then \
	    echo "installing Debian's gdal-bin with apt"; \
	    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q gdal-bin >/dev/null; \
	  else echo "the export tests need GDAL: sudo apt-get install -y gdal-bin" >&2; exit 1; fi; \
	fi

# Debian's wrk drives bench.map's load runs (HTTP on 127.0.0.1).
wrk:
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" -eq 0 ]; then \
	    echo "installing Debian's wrk with apt"; \
	    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null; \
	  else echo "bench-map needs wrk: sudo apt-get install -y wrk" >&2; exit 1; fi; \
	fi

lint: venv assets
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/vulture
	node_modules/.bin/eslint .

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The front end's pure functions (the map's address, legend classes, camera styles) with Node's own runner.
.PHONY: test-js
test-js: assets
	node --test tests/js/*.test.mjs

test: setup browser redis gdal lint test-js
	$(BIN)/pytest $(PYTEST_ARGS)

FILE ?= $(DATA)/deflockhopper-maps-cameras-us.json.gz
import: migrate
	$(BIN)/flask cameras import $(FILE)

bench-import: setup
	$(BIN)/python -m bench.import

bench-photos: setup
	$(BIN)/python -m bench.photos

bench-map: setup wrk
	$(BIN)/python -m bench.map

bench-load: setup
	$(BIN)/python -m bench.load

bench-coverage: setup
	$(BIN)/python -m bench.coverage

bench-agencies: setup
	$(BIN)/python -m bench.agencies

bench-agency-pages: setup
	$(BIN)/python -m bench.agency_pages

bench-exports: setup
	$(BIN)/python -m bench.exports

# ROWS: how many searches the generated network log holds (17000000 is the size of the issue's city log).
ROWS ?= 1000000
bench-searches: setup
	$(BIN)/python -m bench.searches --rows $(ROWS)

# A release of 1,000,000 cameras needs GDAL (FlatGeobuf) like the tests.
bench-release: setup gdal
	$(BIN)/python -m bench.release

# PNGs of the main pages at 1280 and 360 px, English and Spanish, into docs/screenshots/ (scripts/screenshots.py).
screenshots: setup browser
	$(BIN)/python -m scripts.screenshots

clean:
	-scripts/pg stop
	rm -rf $(VENV) node_modules instance
