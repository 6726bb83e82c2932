# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
PLUGINS := plugins/leadkit-github plugins/leadkit-jira plugins/leadkit-gitlab
SOURCES := pyproject.toml $(foreach p,$(PLUGINS),$(p)/pyproject.toml)

.PHONY: install install-test demo test lint format bench clean browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python $(SOURCES)
	rm -rf $(foreach p,$(PLUGINS),$(p)/*.egg-info)  # left by setuptools editable installs before hatchling
	$(BIN)/python -m pip install --quiet -e . $(foreach p,$(PLUGINS),-e $(p))
	touch $@

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(STAMP)

install-test: $(TEST_STAMP)

demo: install
	$(BIN)/leadkit report --demo

test: lint browser
	$(BIN)/python -m pytest

# tests/test_html_browser.py drives a headless Chromium: on a clean machine run as root
# (CI) Debian's is installed, quietly; elsewhere without one that test is skipped.
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing chromium for the HTML browser test (apt-get)"; \
		apt-get update -qq >/dev/null && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "note: no chromium and not root: tests/test_html_browser.py will be skipped"; \
	fi

# What CI checks before the tests: lint, format and types (the core and the plugins).
lint: install-test
	$(BIN)/ruff check leadkit plugins tests benchmarks
	$(BIN)/ruff format --check leadkit plugins tests benchmarks
	$(BIN)/mypy --strict leadkit $(wildcard plugins/*/leadkit_*)

format: install-test
	$(BIN)/ruff format leadkit plugins tests benchmarks
	$(BIN)/ruff check --fix leadkit plugins tests benchmarks

bench: install-test
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build dist *.egg-info $(foreach p,$(PLUGINS),$(p)/*.egg-info) .pytest_cache .ruff_cache
