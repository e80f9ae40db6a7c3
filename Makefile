# Two commands do all the set-up on a fresh machine with Python 3.11:
#   make demo   -- create .venv, install, run every product for the sample areas
#   make test   -- install the test extras and run the whole suite (notebooks included)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
OUT ?= out

.PHONY: install demo test test-fast app lab reference data clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# constraints.txt pins the exact versions that recorded the reference notebooks; each pin installs on
# any Python 3.11 (soupsieve is held at 2.8.3 because newer releases need a later 3.11 patch release).
$(INSTALLED): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $@

install: $(INSTALLED)

# The batch over the sample areas: executed notebooks, one offline HTML pack per area, an index
# and a cross-area summary in $(OUT)/ (re-running skips what is up to date).
demo: $(INSTALLED)
	$(BIN)/jointwork demo --out $(OUT)

# The browser tests need Chromium: dev/ensure_chromium.sh installs Debian's package if it is missing
# (it never downloads a browser; without root the browser tests skip and say why, unless CI=true).
test: $(INSTALLED)
	bash dev/ensure_chromium.sh
	$(BIN)/python -m pytest

# Unit tests only (no notebooks): quick feedback while coding.
test-fast: $(INSTALLED)
	$(BIN)/python -m pytest -m "not notebook and not browser" --ignore=tests/reference tests

# Facilitator mode: the products as a code-free app on http://127.0.0.1:8866/ (Ctrl+C stops it).
app: $(INSTALLED)
	$(BIN)/jointwork app

lab: $(INSTALLED)
	$(BIN)/jupyter lab notebooks/

# Re-record the reference notebooks that nbval compares against (review the diff before committing).
reference: $(INSTALLED)
	$(BIN)/python dev/refresh_reference.py

# Rebuild the project's own reference tables from the public files in ../shared/data.
data: $(INSTALLED)
	$(BIN)/jointwork data build-areas --from ../shared/data
	$(BIN)/jointwork data build-indicators --from ../shared/data

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
