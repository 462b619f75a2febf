# Corridor: two commands.
#   make demo   set up (first time) and run the main job on the shipped data
#   make test   set up (first time) and run the whole test suite
# and, while working on it:
#   make check  the quick tier: every test but model fits, live servers, browsers and the demo
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
# Test processes (pytest-xdist): one per core by default; PYTEST_WORKERS=0 runs in this process.
# Each test file runs whole in one process, in its order (module fixtures are built once, and the
# matrix tests build on the records of the tests before them).
PYTEST_WORKERS ?= auto
# pytest keeps its assertion-rewritten modules as bytecode (about 10 s of every start), even where
# PYTHONDONTWRITEBYTECODE is set.
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile
# The quick tier (markers declared in pyproject.toml, given in tests/conftest.py).
CHECK_MARKERS := not (slow or fit or server or browser)
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test check setup bench lock clean browser caddy

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

test: setup browser caddy
	$(PYTEST) $(PYTEST_ARGS)

check: setup
	$(PYTEST) -m "$(CHECK_MARKERS)" $(PYTEST_ARGS)

# The browser tests drive Debian's Chromium (Playwright's own browser download is not used).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

# The HTTPS test puts Debian's Caddy in front of the service, as docs/hosting.md does.
caddy:
	@command -v caddy >/dev/null 2>&1 || { \
	  echo "Installing Debian's caddy for the HTTPS test"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq caddy; }

bench: setup browser
	@command -v wrk >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk
	$(BIN)/python bench/run_all.py

# Re-resolve the pinned versions after changing dependencies in pyproject.toml.
lock:
	$(UV) pip compile pyproject.toml --extra test --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
