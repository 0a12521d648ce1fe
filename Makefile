# Two commands for a newcomer:  make run  (demo on SQLite)  and  make test  (the suite).
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
# Links in e-mails point at the server `make run` starts, unless SITE_URL is set.
SITE_URL ?= http://$(HOST):$(PORT)
PYTEST_ARGS ?=
# Installs the Debian packages that are missing (as root), or says how (deploy/system-packages.sh).
SYSTEM_PACKAGES := deploy/system-packages.sh

.PHONY: run test install lint format migrate demo clean app-packages test-packages

# A fresh Debian 12 has Python 3.11 but not its venv module (ensurepip).
$(BIN)/python:
	$(PYTHON) -c 'import ensurepip' 2>/dev/null || $(SYSTEM_PACKAGES) venv
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@$(SYSTEM_PACKAGES) build
	$(BIN)/pip install --quiet ".[dev,ldap]"
	touch $@

install: $(VENV)/.installed

app-packages:
	@$(SYSTEM_PACKAGES) app

test-packages:
	@$(SYSTEM_PACKAGES) test

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

# Web server and the task queue (reminders) side by side; Ctrl+C stops both.
run: app-packages demo
	@echo "Mở http://$(HOST):$(PORT)/ và đăng nhập bằng một tài khoản ở trên."
	$(BIN)/python manage.py setup_schedules
	@export SITE_URL="$(SITE_URL)"; \
	$(BIN)/python manage.py qcluster & qcluster=$$!; \
	trap 'kill $$qcluster 2>/dev/null; wait $$qcluster 2>/dev/null' INT TERM EXIT; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: test-packages install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* var staticfiles .pytest_cache
