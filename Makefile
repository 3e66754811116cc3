# Nazer — every command installs what it needs first (a virtualenv in .venv).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: install run test test-fast lint template openapi bench token invoke clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## make run — the local stack (emulated AWS + local API gateway) in the foreground; Ctrl-C stops it
run: install
	$(PY) -m infra.local_stack

## make test — the whole suite: unit, handlers against moto, end to end against the local stack
test: install
	$(PY) -m pytest

test-fast: install
	$(PY) -m pytest -m "not e2e"

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

## make template — SAM translate (offline) + cfn-lint on the template and on its CloudFormation
template: install
	$(PY) -m infra.check_template

## make openapi — regenerate the committed OpenAPI document from the code
openapi: install
	$(PY) -m infra.openapi

bench: install
	$(PY) -m bench

## make token USER=officer-23 — an ID token of a demo user of the running local stack
token: install
	@$(PY) -m infra.token $(USER)

## make invoke FUNCTION=MonthlyReportsScheduleFunction EVENT=events/monthly_schedule.json
invoke: install
	$(PY) -m infra.invoke $(FUNCTION) $(EVENT)

clean:
	rm -rf $(VENV) .local .pytest_cache .mypy_cache .ruff_cache
