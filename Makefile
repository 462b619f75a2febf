# Corridor: two commands.
#   make demo   set up (first time) and run the main job on the shipped data
#   make test   set up (first time) and run the whole test suite
#
# Setup makes a virtual environment in .venv and installs the locked dependencies
# (requirements.lock) with uv, then Corridor itself in editable mode. Modules are compiled to
# bytecode at install, as pip does, so that the command line starts fast from the first run.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UV     := $(BIN)/uv
STAMP  := $(VENV)/.installed
OUT    ?= out
PYTEST_ARGS ?=
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test setup bench lock clean browser

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(UV) pip sync --compile-bytecode --python $(BIN)/python requirements.lock
	$(UV) pip install --python $(BIN)/python --no-deps -e .
	$(BIN)/python -m compileall -q src
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/corridor demo --out $(OUT)

test: setup browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The browser tests drive Debian's Chromium (Playwright's own browser download is not used).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

bench: setup browser
	@command -v wrk >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk
	$(BIN)/python bench/run_all.py

# Re-resolve the pinned versions after changing dependencies in pyproject.toml.
lock:
	$(UV) pip compile pyproject.toml --extra test --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
