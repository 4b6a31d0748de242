# CPOM course builder. `make` lists the targets; `make package` and `make test` are all a
# newcomer needs: each sets up what it needs (virtualenv, npm tools, browser) by itself.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CHROMIUM ?= /usr/bin/chromium
# Test processes (pytest-xdist): browser tests spend most of their time waiting (the suite
# used 65% of two cores at -n 3), so three processes beat two on a 2-core machine: 954 tests
# in 40 min at -n 3, against 839 tests in 42 min at -n 2.
TEST_WORKERS ?= 3

.DEFAULT_GOAL := help
.PHONY: help package check test test-fast lint golden bench preview lrs report clean setup browser fuzz

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed ## create the virtualenv and install the test tools

browser: ## make sure Debian's chromium is installed (tests drive it with Playwright)
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: run 'sudo apt-get install chromium' (Debian) and retry" >&2; exit 1; fi; }

package: $(VENV)/.installed ## build every package of the course into packages/
	$(PY) -m builder build --content content --out packages

check: $(VENV)/.installed ## validate the course sources without writing anything
	$(PY) -m builder check --content content

test: setup browser ## run the whole test suite, browser tests included (what CI runs)
	$(PY) -m pytest -n $(TEST_WORKERS)

test-fast: $(VENV)/.installed ## run the tests that need no browser and no wheel install (inner loop)
	$(PY) -m pytest -n $(TEST_WORKERS) -m "not browser and not install"

lint: $(VENV)/.installed ## ruff on the code and tests, mypy --strict on builder/
	$(VENV)/bin/ruff check builder tests
	$(VENV)/bin/mypy

fuzz: $(VENV)/.installed ## fuzz the loaders and readers with many more examples than make test
	CPOM_FUZZ_PROFILE=fuzz $(PY) -m pytest tests/fuzz -q

golden: $(VENV)/.installed ## rewrite tests/golden from the current build; review the diff
	$(PY) -m pytest tests/unit/test_golden.py --update-golden -q

$(VENV)/.bench-installed: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $@

bench: setup browser $(VENV)/.bench-installed ## time the builds (and against MkDocs) and the runtime (figures for closing notes)
	$(PY) -m tests.bench

preview: $(VENV)/.installed ## live preview on http://127.0.0.1:8000: reloads on every save, LMS/LRS panel
	$(PY) -m builder preview --content content

report: $(VENV)/.installed ## reports from LRS_ENDPOINT (+LRS_USERNAME/LRS_PASSWORD) or STATEMENTS=file into OUT (reports/)
	$(PY) -m builder report --content content --out $${OUT:-reports} $${STATEMENTS:+--statements "$$STATEMENTS"}

lrs: setup ## run a real LRS on http://127.0.0.1:8080/xAPI/ to watch statements arrive
	$(PY) -m tests.lrs

clean: ## remove build output and caches
	rm -rf packages/*.zip packages/modules .pytest_cache
