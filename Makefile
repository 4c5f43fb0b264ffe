# Two commands on a fresh machine: `make report` and `make test`. Both start with `make setup`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.hatoolkit-installed

.PHONY: setup report test bench lint docs clean

setup: $(STAMP)

# Re-install only when the dependency list changes; an editable install picks up code changes.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

report: setup
	$(BIN)/hatoolkit validate data/sample

test: setup
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check .

docs: setup
	$(BIN)/hatoolkit docs --out docs/checks.md

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis

bench: setup
	$(BIN)/python benchmarks/run.py
