# Two commands on a fresh machine: `make demo` and `make test`. `make help` lists every target.
# Every target installs into $(VENV) only and changes nothing outside this folder (the system
# programs some tests need are CI's job: .ci/run installs them, see CONTRIBUTING.md).
PYTHON ?= python3
VENV ?= .venv
DIST ?= dist
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
PLUGINS := plugins/leadkit-github plugins/leadkit-jira plugins/leadkit-gitlab
# leadkit/__init__.py holds the one version: a new one reinstalls the packages' metadata.
SOURCES := pyproject.toml leadkit/__init__.py $(foreach p,$(PLUGINS),$(p)/pyproject.toml)

.PHONY: help install install-test demo test lint format bench dist clean

help: ## list the targets, a line each
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-13s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python $(SOURCES)
	rm -rf *.egg-info $(foreach p,$(PLUGINS),$(p)/*.egg-info)  # left by setuptools installs before hatchling
	$(BIN)/python -m pip install --quiet -e . $(foreach p,$(PLUGINS),-e $(p))
	touch $@

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(STAMP) ## create .venv with leadkit and its three plugins (editable)
	@:

install-test: $(TEST_STAMP) ## install, plus the test, lint and build tools
	@:

demo: install ## the report for the bundled demo team, offline
	$(BIN)/leadkit report --demo

test: lint ## lint, then the whole suite (a test needing a missing system program skips, saying how to run it)
	$(BIN)/python -m pytest

# What CI checks before the tests: lint, format and types (the core and the plugins).
lint: install-test ## ruff check, ruff format --check and mypy --strict
	$(BIN)/ruff check leadkit plugins tests benchmarks
	$(BIN)/ruff format --check leadkit plugins tests benchmarks
	$(BIN)/mypy --strict leadkit $(wildcard plugins/*/leadkit_*)

format: install-test ## ruff format and ruff check --fix, in place
	$(BIN)/ruff format leadkit plugins tests benchmarks
	$(BIN)/ruff check --fix leadkit plugins tests benchmarks

bench: install-test ## requests, points, analysis and end-to-end cost against their targets (about 10 minutes)
	$(BIN)/python benchmarks/run.py

# Each package's sdist, then its wheel built from that sdist (so an sdist that cannot build
# fails here). The build backend comes from .venv, not an isolated download per package.
dist: install-test ## the wheels and sdists of leadkit and its three plugins, into dist/ (or DIST=folder)
	rm -rf $(DIST)
	$(foreach p,. $(PLUGINS),$(BIN)/python -m build --no-isolation --outdir $(DIST) $(p) >/dev/null &&) true
	@ls $(DIST)

clean: ## remove .venv, dist/ and the caches
	rm -rf $(VENV) build $(DIST) *.egg-info $(foreach p,$(PLUGINS),$(p)/*.egg-info) .pytest_cache .ruff_cache
