# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= auto

.PHONY: run test lint hooks format migrate demo messages messages-update bench-documents bench-invigilator bench-import bench-mass-import bench-candidates bench-capacity clean

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

## make messages: compile the translation catalogues (locale/*/LC_MESSAGES/*.po → .mo, pure Python)
messages: $(STAMP)
	DEBUG=true $(PY) manage.py compile_catalogue

## make messages-update: refresh locale/en from the code (needs GNU gettext: apt-get install gettext),
## then translate every new msgid; tests/pixcertif/test_catalogue.py fails on any one left empty.
I18N_IGNORE := --ignore=.venv --ignore=bench --ignore=tests --ignore=staticfiles --ignore=.test-media --ignore=media
messages-update: $(STAMP)
	DEBUG=true $(PY) manage.py makemessages -l en --no-wrap --no-obsolete --add-location=file $(I18N_IGNORE)
	DEBUG=true $(PY) manage.py makemessages -d djangojs -l en --no-wrap --no-obsolete --add-location=file $(I18N_IGNORE)

migrate: $(STAMP) messages
	DEBUG=true $(PY) manage.py migrate --noinput

demo: migrate
	DEBUG=true $(PY) manage.py seed_demo

## make run: virtualenv, pinned dependencies, migrations, demo data, server on http://127.0.0.1:8000
run: demo
	@echo "Pix Certif : http://$(HOST):$(PORT)/connexion"
	DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

## make test: the whole suite (unit, integration, browser). DATABASE_URL picks the database.
test: $(DEV_STAMP) messages
	$(PY) -m pytest -q -n $(WORKERS) --dist loadfile $(PYTEST_ARGS)

## make lint (CI runs it): every hook of .pre-commit-config.yaml on every file: ruff (lint and format
## check), the import contracts (lint-imports), mypy with django-stubs. All local: no network.
lint: $(DEV_STAMP)
	$(BIN)/pre-commit run --all-files --show-diff-on-failure

## make hooks: run those checks on every `git commit` (pre-commit install, once per clone)
hooks: $(DEV_STAMP)
	$(BIN)/pre-commit install

format: $(DEV_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench-documents: $(DEV_STAMP)
	$(PY) bench/documents.py

bench-invigilator: $(DEV_STAMP)
	$(PY) bench/invigilator.py

bench-import: $(DEV_STAMP)
	$(PY) bench/import_candidates.py

bench-mass-import: $(DEV_STAMP)
	$(PY) bench/mass_import.py

bench-candidates: $(DEV_STAMP)
	$(PY) bench/candidates.py

bench-capacity: $(DEV_STAMP)
	$(PY) bench/capacity.py

clean:
	rm -rf $(VENV) staticfiles .test-media
