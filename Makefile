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

.PHONY: help setup venv assets translations translations-extract translations-update db db-stop migrate areas seed run test lint format browser redis gdal import bench-import bench-photos bench-map bench-load bench-coverage bench-exports bench-agencies bench-agency-pages bench-release agencies screenshots clean

help:
	@echo "make run      set everything up and serve on http://$(HOST):$(PORT)"
	@echo "make test     set everything up, lint, then run the whole test suite (browser tests included)"
	@echo "make db       start the project's local PostGIS (make db-stop stops it)"
	@echo "make translations-update   extract the messages and merge them into webapp/translations/es (then translate)"
	@echo "make import   import ../shared/data's OpenStreetMap cameras (or FILE=path)"
	@echo "make screenshots   PNGs of the main pages (1280 and 360 px, English and Spanish) -> docs/screenshots/"
	@echo "make bench-import | bench-photos | bench-map | bench-load | bench-coverage | bench-exports | bench-agencies | bench-agency-pages | bench-release   benchmarks -> docs/benchmarks.md"

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

# State and county boundaries for the coverage figures: the full Census states and counties from ../shared/data
# when they are there, else the small built-in set of states. --if-missing: nothing to do once loaded.
SHARED_AREAS := ../shared/data/us-states-metrics.geojson.gz ../shared/data/us-counties-metrics.geojson.gz
areas: migrate
	@if [ -f ../shared/data/us-counties-metrics.geojson.gz ] && [ -f ../shared/data/us-states-metrics.geojson.gz ]; then \
	  $(BIN)/flask areas import --if-missing $(SHARED_AREAS); \
	else $(BIN)/flask areas import --if-missing; fi

# The News & Observer's agencies and sharing relations when ../shared/data has them (--if-missing: nothing to
# do once imported), then the operator texts of the cameras linked to them (fast when nothing changed).
AGENCY_DATA := ../shared/data/news-observer-private-eyes
agencies: areas
	@if [ -d $(AGENCY_DATA) ]; then $(BIN)/flask agencies import --if-missing $(AGENCY_DATA); \
	else echo "agencies: $(AGENCY_DATA) not found; none imported"; fi

seed: agencies
	$(BIN)/flask cameras seed-demo --if-empty
	$(BIN)/flask agencies match

# The sweep at start removes files an interrupted upload may have left (older than its grace period); the
# export files are brought up to date (run `flask opendata export` again, or with --every, after changes).
run: seed
	$(BIN)/flask maintenance sweep
	$(BIN)/flask opendata export
	$(BIN)/flask run --host $(HOST) --port $(PORT)

# Debian's Chromium drives the browser tests (never `playwright install`: it downloads a browser).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" -eq 0 ]; then \
	    echo "installing Debian's chromium with apt"; \
	    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; \
	  else echo "browser tests need Chromium: sudo apt-get install -y chromium" >&2; exit 1; fi; \
	fi

# Debian's redis-server for the tests of what the app keeps in Redis (each test starts its own on a free port).
redis:
	@if ! command -v redis-server >/dev/null; then \
	  if [ "$$(id -u)" -eq 0 ]; then \
	    echo "installing Debian's redis-server with apt"; \
	    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server >/dev/null; \
	  else echo "the Redis tests need redis-server: sudo apt-get install -y redis-server" >&2; exit 1; fi; \
	fi

# GDAL's ogrinfo reads the OpenStreetMap export back in the tests (Debian's gdal-bin).
gdal:
	@if ! command -v ogrinfo >/dev/null; then \
	  if [ "$$(id -u)" -eq 0 ]; then \
	    echo "installing Debian's gdal-bin with apt"; \
	    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q gdal-bin >/dev/null; \
	  else echo "the export tests need GDAL: sudo apt-get install -y gdal-bin" >&2; exit 1; fi; \
	fi

lint: venv
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: setup browser redis gdal lint
	$(BIN)/pytest $(PYTEST_ARGS)

FILE ?= ../shared/data/deflockhopper-maps-cameras-us.json.gz
import: migrate
	$(BIN)/flask cameras import $(FILE)

bench-import: setup
	$(BIN)/python -m bench.import

bench-photos: setup
	$(BIN)/python -m bench.photos

bench-map: setup
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

# A release of 1,000,000 cameras needs GDAL (FlatGeobuf) like the tests.
bench-release: setup gdal
	$(BIN)/python -m bench.release

# PNGs of the main pages at 1280 and 360 px, English and Spanish, into docs/screenshots/ (scripts/screenshots.py).
screenshots: setup browser
	$(BIN)/python -m scripts.screenshots

clean:
	-scripts/pg stop
	rm -rf $(VENV) node_modules instance
