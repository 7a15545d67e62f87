# boilerclean: `make run` and `make test` work on a fresh machine with Python 3.11 and pip.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export PREFECT_SERVER_ANALYTICS_ENABLED ?= false
export DO_NOT_TRACK ?= 1
export PREFECT_HOME ?= $(CURDIR)/.prefect

.PHONY: install run test lint format bench lock needles clean

install: $(STAMP)

# compileall does what pip does for a wheel: an editable install has no bytecode, and a shell with
# PYTHONDONTWRITEBYTECODE would compile every module again in each run and in each worker (~0.4 s)
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	$(BIN)/python -m compileall -q cleaners flows
	touch $(STAMP)

run: install
	$(BIN)/boilerclean run configs/news-text.yaml --input data/ --output out/sample
	@echo; echo "clean output: out/sample/clean/  rejects: out/sample/rejected/  report: out/sample/report.json"

test: install
	$(BIN)/ruff check cleaners flows tests benchmarks
	$(BIN)/ruff format --check cleaners flows tests benchmarks
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check cleaners flows tests benchmarks

format: install
	$(BIN)/ruff format cleaners flows tests benchmarks
	$(BIN)/ruff check --fix cleaners flows tests benchmarks

# Rewrite the shipped needle table after editing a rule pack or the needle derivation (a test says when).
needles: install
	$(BIN)/python -m boilerclean.cleaners.stages.artifacts.needletable

# Re-pin every dependency (run after changing pyproject.toml dependencies).
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/pip install --quiet --disable-pip-version-check ".[dev]"
	.lockenv/bin/pip freeze --exclude-editable | grep -v '^boilerclean' > requirements.lock
	rm -rf .lockenv

clean:
	rm -rf $(VENV) out .prefect .pytest_cache
