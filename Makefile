# Planprofil: `make run` sets everything up and serves the app; `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
DEBIAN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-inter fonts-dejavu-core chromium gettext poppler-utils
DEMO_LOGIN := demo / planprofil-demo (coordinator, Vega); radgiver / planprofil-demo (adviser, Nordland)

.PHONY: help setup system-packages venv assets messages messages-update db run test bench loadtest lint imports format clean

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

system-packages: ## Install the Debian packages Planprofil needs (as root), or say which are missing
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; done; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null \
	      || { echo "ERROR: could not install:$$missing" >&2; exit 1; }; \
	  else \
	    echo "ERROR: missing Debian packages. Run as root:" >&2; \
	    echo "  apt-get update && apt-get install -y$$missing" >&2; exit 1; \
	  fi; \
	fi

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "ERROR: Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

venv: $(VENV)/.installed ## Create the virtualenv with pinned Python packages

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "ERROR: npm is needed (Debian: apt-get install -y npm)" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

assets: node_modules/.installed ## Copy Designsystemet CSS and the Inter font into static/vendor
	@mkdir -p static/vendor/fonts
	@cp node_modules/@digdir/designsystemet-css/dist/src/index.css static/vendor/designsystemet.css
	@cp node_modules/@digdir/designsystemet-css/dist/theme/designsystemet.css static/vendor/designsystemet-theme.css
	@cp node_modules/@fontsource/inter/files/inter-latin-{400,500,600,700}-normal.woff2 static/vendor/fonts/
	@cp node_modules/axe-core/axe.min.js static/vendor/ 2>/dev/null || true

messages: venv ## Compile translation catalogues (locale/*/LC_MESSAGES/django.po)
	@cd locale 2>/dev/null && ls */LC_MESSAGES/django.po >/dev/null 2>&1 && cd .. && DJANGO_DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv -v0 || true

messages-update: venv ## Collect new translatable strings into locale/{nb,nn,en} (then translate them)
	DJANGO_DEBUG=1 $(PY) manage.py makemessages -l nb -l nn -l en --no-location --ignore=.venv --ignore=node_modules --ignore=tests

setup: system-packages venv assets messages ## Everything `run` and `test` need

db: setup
	@mkdir -p var
	export DJANGO_DEBUG=1; $(PY) manage.py migrate --noinput -v0
	DJANGO_DEBUG=1 $(PY) manage.py load_reference_data
	DJANGO_DEBUG=1 $(PY) manage.py apply_privacy_rule
	DJANGO_DEBUG=1 $(PY) manage.py load_demo

run: db ## Set up, load the demo and serve on http://127.0.0.1:8000 (SQLite)
	@echo ""
	@echo "  Planprofil: http://$(HOST):$(PORT)/"
	@echo "  Demo logins: $(DEMO_LOGIN)"
	@echo ""
	@# The background worker (batch PDF exports) runs beside the web server and stops with it.
	DJANGO_DEBUG=1 $(PY) manage.py db_worker --no-reload -v0 & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: setup ## Set up, then run every test (SQLite, or DATABASE_URL when set)
	DJANGO_SECRET_KEY=test-only-secret-key $(BIN)/pytest

bench: db ## Print benchmark figures
	DJANGO_SECRET_KEY=bench-only-secret-key $(PY) -m bench

loadtest: setup ## 50 respondents through the wizard at once on gunicorn (SQLite, or DATABASE_URL's server)
	$(PY) -m bench.loadtest

lint: venv ## ruff check and format check, bandit (security lint), mypy (types)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -c pyproject.toml -r assessment guidance config
	DJANGO_DEBUG=1 $(BIN)/mypy
	$(BIN)/lint-imports

imports: venv ## Print which app imports which (the layers are checked by `make lint`)
	DJANGO_DEBUG=1 $(PY) -m tests.import_graph

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules static/vendor var/*.sqlite3 var/staticfiles
