# xiaozhen — `make help` lists the targets. Every target sets up .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.runtime
STAMP := $(VENV)/.installed
UV := $(BIN)/uv pip install --quiet --python $(BIN)/python

.DEFAULT_GOAL := help
.PHONY: help run demo test lint validate catalogs stress bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# The venv is rebuilt whenever the dependencies in pyproject.toml change. `make run` installs what
# xiaozhen needs to run, nothing more; the targets for developers add the test, lint and bench tools.
# uv installs them from PyPI in seconds where pip takes half a minute (the developer tools are many); pip
# only installs uv, and stays in the venv for `pip install .` and the wheel test.
$(RUNTIME): pyproject.toml
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check 'uv>=0.5,<1'
	$(UV) -e .
	touch $(RUNTIME)

$(STAMP): $(RUNTIME)
	$(UV) -e '.[dev,bench]'
	touch $(STAMP)

run: $(RUNTIME) ## set up the runtime only, validate the bundled registry, then list it
	$(BIN)/xiaozhen validate data/towns.yaml
	$(BIN)/xiaozhen list

demo: $(RUNTIME) ## a worked sample year (示例数据) on a copy of the registry, its report in demo/ as HTML, XLSX and DOCX
	$(BIN)/xiaozhen demo --output demo

test: $(STAMP) lint validate ## set up with the developer tools, lint, validate the registry and run the tests
	@# The tests start xiaozhen in many processes: with its bytecode cached, as pip leaves an install (some
	@# machines set PYTHONDONTWRITEBYTECODE, and an editable install would be compiled again at each start).
	$(BIN)/python -m compileall -q src
	$(BIN)/python -m pytest -q -n auto

lint: $(STAMP) ## ruff and mypy
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

validate: $(RUNTIME) ## validate data/towns.yaml
	$(BIN)/xiaozhen validate data/towns.yaml

LOCALE := src/xiaozhen/locale
catalogs: $(STAMP) ## extract the messages into the catalog's template, merge it into the Chinese catalog, compile it
	$(BIN)/pybabel -q extract -F babel.cfg -k _ -k N_ --omit-header --no-location --sort-output --project xiaozhen -o $(LOCALE)/xiaozhen.pot src/xiaozhen
	$(BIN)/pybabel -q update -i $(LOCALE)/xiaozhen.pot -d $(LOCALE) -D xiaozhen -l zh --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel -q compile -d $(LOCALE) -D xiaozhen -l zh --statistics

stress: $(STAMP) ## the kill, concurrency and property suites, ten times longer than in `make test`
	XIAOZHEN_STRESS=10 $(BIN)/python -m pytest -q tests/test_stress.py tests/test_properties.py

bench: $(STAMP) ## time xiaozhen against its baselines; writes bench/RESULTS.md
	$(BIN)/python bench/run.py

clean: ## remove the venv, the caches and the demo
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist demo
