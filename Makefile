# Two entry points (see README): `make demo` and `make test`. Each creates .venv when missing.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared

.PHONY: demo test test-postgres browser lint bench bench-web screenshots setup clean

$(BIN)/postcheck: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q -e '.[dev]'
	touch $(BIN)/postcheck

setup: $(BIN)/postcheck

# The demo installs only what the app needs (the `web` extra: no torch, Playwright or evaluation baselines);
# an existing dev .venv already has it. Fresh set-up time and .venv size are measured in the README.
$(VENV)/.demo: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --no-compile -e '.[web]'  # bytecode is written for what runs, when it first runs
	touch $@

demo: $(VENV)/.demo
	$(BIN)/postcheck demo

# The whole suite on SQLite, end-to-end browser tests included (Debian's chromium, installed here
# when missing and run as root; without it those tests skip and say why).
test: setup browser
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy src
	$(BIN)/pytest

# The web suite again on a throwaway PostgreSQL server on 127.0.0.1 (installed when missing; .ci/run runs this too).
test-postgres: setup browser
	PYTHON=$(BIN)/python scripts/with-postgres.sh $(BIN)/pytest tests/web tests/e2e

browser:
	@scripts/apt-ensure.sh /usr/bin/chromium:chromium

bench: setup
	$(BIN)/python benchmarks/bench_check.py

# Load test of `postcheck serve` (wrk when installed); e.g. make bench-web BENCH_WEB_ARGS='--duration 300'
bench-web: setup
	@scripts/apt-ensure.sh /usr/bin/wrk:wrk
	$(BIN)/python benchmarks/bench_web.py $(BENCH_WEB_ARGS)

# PNGs of the main pages into docs/screenshots/ (demo data, Debian's chromium).
screenshots: setup browser
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
