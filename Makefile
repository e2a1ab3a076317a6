# Two commands do all the set-up on a fresh machine: `make reports` and `make test`.
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
# JOBS: the --jobs of `make reports`; empty, the builder's own default (cores, plus one forked kernel)
JOBS   ?=
OUT    ?= reports
KERNEL := treaty-exits
# Lab settings kept in the repository (lab/settings/overrides.json): no news pop-up, no update check, no prompts
LAB    := $(VENV)/bin/jupyter lab --LabApp.app_settings_dir=$(CURDIR)/lab/settings $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: help setup reports test lint format data validate lab benchmark wheel wheel-check docs clean

## list the targets and what each does
help:
	@awk '/^## /{doc=substr($$0,4); next} /^[a-z][a-z-]*:/{if(doc){split($$0,t,":"); printf "  %-10s %s\n", t[1], doc}; doc=""}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "$(KERNEL) (Python)" >/dev/null
	rm -f $(VENV)/.installed-* && touch $@

## create .venv and install the package with its test tools (the other targets do it when needed)
setup: $(STAMP)

## every report (states, treaties, overview, research) as offline HTML in $(OUT)/; on an existing site, only those whose inputs changed
reports: $(STAMP)
	$(VENV)/bin/treaty-exits reports --all --treaties all --overview --research --resume $(if $(JOBS),--jobs $(JOBS)) --out $(OUT)

## the whole test suite: module, data, notebooks (nbval), batch builder, browser
test: $(STAMP)
	$(PY) -m pytest -n 2 --dist loadfile

## ruff: lint and format check (CI runs it)
lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks tools
	$(VENV)/bin/ruff format --check src tests benchmarks tools

## ruff: fix what can be fixed and format the code
format: $(STAMP)
	$(VENV)/bin/ruff check --fix src tests benchmarks tools
	$(VENV)/bin/ruff format src tests benchmarks tools

## regenerate data/events.csv from the depositary pages in ../shared and the curated table
data: $(STAMP)
	$(VENV)/bin/treaty-exits build-data
	$(VENV)/bin/treaty-exits validate
	$(VENV)/bin/treaty-exits codebook

## check every data file
validate: $(STAMP)
	$(VENV)/bin/treaty-exits validate

## open JupyterLab on notebooks/
## JupyterLab on notebooks/, each notebook opening with the project's kernel "treaty-exits (Python)"
lab: $(STAMP)
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "$(KERNEL) (Python)" >/dev/null
	$(LAB) --ServerApp.root_dir=$(CURDIR)/notebooks

## build the sdist and the wheel into dist/ (the package with its data, notebooks, citation and codebook)
wheel: $(STAMP)
	rm -rf dist && $(PY) -m build --outdir dist .

## install the wheel into a fresh venv in a temporary folder and run the installed commands there (CI runs it)
wheel-check: $(STAMP)
	.ci/wheel-check

## run the benchmarks (results go to benchmarks/results.md)
benchmark: $(STAMP)
	$(PY) benchmarks/bench_status.py
	$(PY) benchmarks/bench_reports.py

## the documentation site, offline, into build/site: guide, API reference, codebook, data, notebooks, changelog
docs: $(STAMP)
	$(PY) -m pip install -q -e '.[docs]'
	$(PY) tools/docs_site.py build/docs-src
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict   # a warning (a broken link, a missing name) fails

## remove the built site and caches
clean:
	rm -rf $(OUT) .pytest_cache build/docs-src build/site .cache
