# Two commands on a fresh machine (Python >= 3.11):  make demo   and   make test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## make demo: install, migrate, load the five seed plans on SQLite and serve on :8000
demo: $(STAMP)
	$(BIN)/jalon demo

## make test: lint, migration check and the whole test suite (JALON_DATABASE_URL picks the DB)
test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -n 2

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) var
