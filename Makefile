# callbot: `make demo` runs the main job offline; `make test` runs the whole suite.
# Both create .venv and install what they need on a fresh machine (Debian/Ubuntu; apt-get when root).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench lint typecheck system-deps clean

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

test: $(STAMP) system-deps
	$(BIN)/ruff check assistant tests scripts
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: $(STAMP) system-deps
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .demo .tools .pytest_cache .mypy_cache .ruff_cache
