# The two commands of README.md: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
# Two xdist workers, one per core (each with its own test database): the suite in half the time.
PYTEST_ARGS ?= -n 2

.PHONY: run test test-fast setup setup-dev migrate seed serve browser lint format check-deploy prod-check backup restore clean

$(STAMP): requirements.txt
	test -x $(PYTHON) || $(PY) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

# Test and bench tools on top of the runtime set (make test, lint, bench).
$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(PYTHON) -m pip install --quiet -r requirements-dev.txt
	touch $(DEV_STAMP)

setup: $(STAMP)

setup-dev: $(DEV_STAMP)

migrate: setup
	$(PYTHON) manage.py migrate --noinput

seed: migrate
	$(PYTHON) manage.py seed_demo

# Debian's Chromium and a CJK font for the browser tests (never a downloaded browser).
browser:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi wenquanyi; then \
		echo "安装 Chromium 与中文字体 (apt-get)…"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; \
	fi

run: seed
	@echo "启动开发服务器: http://127.0.0.1:8000  (Ctrl+C 退出)"
	$(PYTHON) manage.py runserver 127.0.0.1:8000

test: setup-dev browser
	$(PYTHON) manage.py check
	$(PYTHON) -m pytest $(PYTEST_ARGS)

# For iterating: no browser, no real worker or fault tests, no LibreOffice.
test-fast: setup-dev
	$(PYTHON) -m pytest $(PYTEST_ARGS) -m "not e2e and not celery_worker and not faults and not libreoffice and not replica"

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: setup-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check-deploy: setup
	DEBUG=false SECRET_KEY=$$($(PYTHON) -c 'import secrets;print(secrets.token_urlsafe(50))') \
	ALLOWED_HOSTS=xmgl.example.gov.cn $(PYTHON) manage.py check --deploy --fail-level WARNING

# gunicorn + whitenoise + PostgreSQL + a real Celery worker and beat on Redis, driven like a
# user (deploy/prod_check.py); stops everything it started.
prod-check: setup
	$(PYTHON) deploy/prod_check.py

# The database (pg_dump of one snapshot, or SQLite's backup API) and uploaded files, with a
# checksum manifest read from the same snapshot; safe while people work. Files 0600.
backup: setup
	$(PYTHON) manage.py backup_data $(if $(DIR),--dir $(DIR),)

# make restore FROM=backups/20261123-200000 — restores into a scratch database and checks
# every table and file first; only a backup that verifies replaces the data and files.
restore: setup
	@test -n "$(FROM)" || { echo "用法: make restore FROM=备份目录"; exit 2; }
	$(PYTHON) manage.py restore_data $(FROM) --yes

clean:
	rm -rf $(VENV) db.sqlite3 media .test-media staticfiles
