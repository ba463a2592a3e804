# callbot: `make demo` runs the main job offline; `make test` runs the whole suite.
# Both create .venv and install what they need on a fresh machine (Debian/Ubuntu; apt-get when root).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PRISM  := .tools/prism/node_modules/.bin/prism

.PHONY: demo test bench services system-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[all,dev]'
	touch $(STAMP)

system-deps:
	@bash scripts/system-deps.sh

demo: $(STAMP) system-deps
	rm -rf .demo
	CALLBOT_DATA_DIR=$(CURDIR)/.demo $(BIN)/callbot demo

# Prism (Twilio's API contract) for the telephony tests; PostgreSQL is started by the tests themselves.
$(PRISM):
	npm install --prefix .tools/prism --no-audit --no-fund --loglevel=error @stoplight/prism-cli@5.14.2

services:
	@bash scripts/system-deps.sh test
	@$(MAKE) --no-print-directory $(PRISM)

test: $(STAMP) system-deps services
	$(BIN)/ruff check assistant tests scripts bench
	$(BIN)/ruff format --check assistant tests scripts bench
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: $(STAMP) system-deps
	@bash scripts/system-deps.sh bench
	$(BIN)/callbot models install base   # measured against the bundled tiny.en for notes
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .demo .tools .pytest_cache .mypy_cache .ruff_cache bench/corpus
