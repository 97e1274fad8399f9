# registry: `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
APT_PACKAGES := libharfbuzz-subset0 fonts-nanum poppler-utils chromium wrk
LANGUAGES := ko
CATALOGS := $(wildcard registry/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)
# Some images set PYTHONDONTWRITEBYTECODE: every `python -m registry` the tests start
# (servers, the CLI, killed workers) would then recompile the whole stack, ~5 s each.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: help install system-packages run test test-renders-postgres lint bench mutation messages clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

install: system-packages $(VENV)/.installed $(COMPILED) ## System packages, .venv with the project, compiled catalogs

system-packages: ## apt-get the fonts, poppler, Chromium and wrk (as root; skipped when present)
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "warning: missing system packages:$$missing (run make install as root)"; fi; \
	fi

$(VENV)/.installed: pyproject.toml
	@command -v uv >/dev/null 2>&1 || python3 -m pip install -q uv
	@[ -x $(PY) ] || uv venv -q $(VENV)
	uv pip install -q --python $(PY) -e '.[dev]'
	@touch $@

registry/translations/%/LC_MESSAGES/messages.mo: registry/translations/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel -q compile -d registry/translations -D messages -l $*

messages: $(VENV)/.installed ## Extract messages from code and templates into the .pot, merge them into each .po
	$(BIN)/pybabel -q extract -w 100 -F babel.cfg -k lazy_gettext -c Translators: --sort-output --ignore-dirs ".* __pycache__ var" \
	  --project registry --copyright-holder "AlpacaX Inc." -o registry/translations/messages.pot .
	@for lang in $(LANGUAGES); do \
	  po=registry/translations/$$lang/LC_MESSAGES/messages.po; \
	  if [ -f $$po ]; then \
	    $(BIN)/pybabel -q update -w 100 -i registry/translations/messages.pot -d registry/translations -D messages -l $$lang --no-fuzzy-matching; \
	  else \
	    $(BIN)/pybabel -q init -i registry/translations/messages.pot -d registry/translations -D messages -l $$lang; \
	  fi; \
	done
	@$(PY) -m registry.catalogs

run: install ## Migrate, seed, create an admin if none (printing its password), serve on 127.0.0.1:8000
	$(BIN)/registry migrate
	$(BIN)/registry seed
	$(BIN)/registry create-admin admin@example.com --if-none
	$(BIN)/registry serve --host 127.0.0.1 --port 8000

test: install ## The whole test suite (SQLite, and PostgreSQL where the machine has it)
	$(BIN)/pytest -q -n 2 -p no:cacheprovider

test-renders-postgres: install ## The tests marked `renders` on PostgreSQL (CI runs them after `make test`)
	@# Exit status 5 is "no test collected": a machine without PostgreSQL has none to run.
	REGISTRY_TEST_ENGINES=all $(BIN)/pytest -q -n 2 -p no:cacheprovider -m renders -k postgresql \
	  || [ $$? -eq 5 ]

lint: install ## ruff and mypy
	$(BIN)/ruff check registry tests
	$(BIN)/ruff format --check registry tests
	$(BIN)/mypy registry

bench: install ## The benchmarks: ratios measured in one run
	$(PY) -m tests.benchmarks

mutation: install ## Mutation testing (mutmut) of the modules that carry promises; MODULES="diff tokens" narrows it
	$(BIN)/python -m tests.mutation $(MODULES)

clean: ## Remove the venv, caches and compiled catalogs (keeps var/)
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache mutants $(COMPILED)
