# Two commands on a fresh machine: `make run` and `make test`. Both bootstrap what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck unit browser-deps services bench screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Start the server on the embedded SQLite default and print where to open it.
run: $(STAMP)
	$(BIN)/workshop serve

## The whole suite: lint, types, then every test (browser tests included).
test: $(STAMP) browser-deps
	$(BIN)/ruff check workshop tests bench docs
	$(BIN)/mypy
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check workshop tests bench docs

typecheck: $(STAMP)
	$(BIN)/mypy

## Everything but the browser tests (no Chromium needed).
unit: $(STAMP)
	$(BIN)/pytest -q -m "not browser"

## Debian's Chromium (Playwright drives it; its own browser download is not used).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

bench: $(STAMP)
	$(BIN)/python bench/live_room.py --participants 500

screenshots: $(STAMP) browser-deps
	$(BIN)/python docs/screenshots/capture.py

clean:
	rm -rf $(VENV) dist build .pytest_cache .mypy_cache .ruff_cache
