# Two commands set everything up on a fresh machine with Python 3.11:
#   make demo   the Gonesse reference deployment on SQLite
#   make test   lint, types and the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PLUGINS := $(wildcard plugins/*/pyproject.toml)
PLUGIN_DIRS := $(patsubst %/pyproject.toml,%,$(PLUGINS))
# The reference site's own plugin, installed so that `insertion --set gonesse` works in a shell.
SITE := examples/gonesse

.PHONY: demo test lint types pytest bench docs clean

$(VENV)/.installed: pyproject.toml $(PLUGINS) $(SITE)/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]' $(foreach d,$(PLUGIN_DIRS),-e '$(d)[test]') \
		-e '$(SITE)'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/python examples/gonesse/demo.py

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests plugins examples benchmarks
	$(BIN)/ruff format --check src tests plugins examples benchmarks
	$(BIN)/lint-imports

types: $(VENV)/.installed
	$(BIN)/mypy --strict src

pytest: $(VENV)/.installed
	bash tests/with-postgresql.sh $(BIN)/python -m pytest -q -n 2 tests examples $(PLUGIN_DIRS)

test: lint types pytest

# Figures in docs/performance.md: SQLite, and PostgreSQL when a server is installed.
# The national-scale part generates 10^4, 10^5 and 10^6 participants: hours with
# today's importer. Each size is saved as soon as it is measured; one size alone:
# make bench BENCH_ARGS="--only scale --sizes 1000000"  (--resume skips sizes saved)
bench: $(VENV)/.installed
	bash tests/with-postgresql.sh $(BIN)/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) work .pytest_cache .mypy_cache .ruff_cache .hypothesis .import_linter_cache .grimp_cache

$(VENV)/.installed-docs: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[docs]'
	touch $@

docs: $(VENV)/.installed-docs
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site
