# Two commands on a fresh machine: `make report` and `make test`. Both start with `make setup`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.hatoolkit-installed

.PHONY: setup chromium report test bench lint docs clean

setup: $(STAMP) chromium

# Re-install only when the dependency list changes; an editable install picks up code changes.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

# Static charts (kaleido) and the real-browser test (playwright) drive Debian's chromium package;
# nothing downloads a browser of its own (never `playwright install`). Without root/sudo or apt the
# audit still completes and says that PNG/SVG/PPTX were skipped, and why.
chromium:
	@if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; \
	else echo "make setup: chromium is missing and neither root nor passwordless sudo is available;" \
	          "static charts, slides and the browser test will be skipped"; exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
	    echo "make setup: chromium is missing and apt-get is not available; install a Chromium yourself" \
	         "(or set BROWSER_PATH) to get static charts, slides and the browser test"; exit 0; fi; \
	echo "make setup: installing Debian's chromium package (static charts, browser test)"; \
	$$SUDO apt-get update -q >/dev/null && \
	DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium >/dev/null || \
	echo "make setup: could not install chromium; static charts, slides and the browser test will be skipped"

report: setup
	$(BIN)/hatoolkit audit data/sample --out reports/sample

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
