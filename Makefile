# Two commands do all the set-up on a fresh machine with Python 3.11:
#   make demo   -- create .venv, install, run every product for the sample areas
#   make test   -- install the test extras and run the whole suite (notebooks and browser included)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
OUT ?= out
# demo, app and lab all use ./workspace (ignored by git) unless --workspace or JOINTWORK_WORKSPACE says
# otherwise: `jointwork lab` hands it to JupyterLab's kernels, which run in notebooks/.

.PHONY: install demo test test-fast lint app lab reference golden data clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# constraints.txt pins the exact versions that recorded the reference notebooks and golden views;
# each pin installs on any Python 3.11.
$(INSTALLED): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $@

install: $(INSTALLED)

# The batch over the sample areas: executed notebooks, one offline HTML pack per area, an index
# and a cross-area summary in $(OUT)/ (re-running skips what is up to date).
demo: $(INSTALLED)
	$(BIN)/jointwork demo --out $(OUT)

# Lint and format check (ruff, through pre-commit's local hooks), then every level of tests. The
# browser tests need Chromium: dev/ensure_chromium.sh installs Debian's package if it is missing
# (never a browser download; without root they skip and say why, unless CI=true).
test: $(INSTALLED) lint
	bash dev/ensure_chromium.sh
	$(BIN)/python -m pytest

lint: $(INSTALLED)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/pre-commit run --all-files --show-diff-on-failure

# No kernel starts: unit tests and the golden views.
test-fast: $(INSTALLED)
	$(BIN)/python -m pytest tests/unit tests/golden

# Facilitator mode: the products as a code-free app on http://127.0.0.1:8866/ (Ctrl+C stops it).
app: $(INSTALLED)
	$(BIN)/jointwork app

# JupyterLab on the notebooks, with the same workspace as demo and app.
lab: $(INSTALLED)
	$(BIN)/jointwork lab

# Re-record the reference notebooks that nbval compares against (review the diff before committing).
reference: $(INSTALLED)
	$(BIN)/python dev/refresh_reference.py

# Re-record the golden views (review the diff before committing).
golden: $(INSTALLED)
	$(BIN)/python -m pytest tests/golden --snapshot-update

# Rebuild the project's own reference tables from the public files in ../shared/data.
data: $(INSTALLED)
	$(BIN)/jointwork data build-areas --from ../shared/data
	$(BIN)/jointwork data build-indicators --from ../shared/data

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache
