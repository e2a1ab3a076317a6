# Two commands do all the set-up on a fresh machine: `make reports` and `make test`.
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)
OUT    ?= reports

.PHONY: setup reports test data validate lab benchmark clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

setup: $(STAMP)

## every state's report, every treaty's, and the overview, as offline HTML in $(OUT)/
reports: $(STAMP)
	$(VENV)/bin/treaty-exits reports --all --treaties all --overview --jobs $(JOBS) --out $(OUT)

## the whole test suite: module, data, notebooks (nbval), batch builder, browser
test: $(STAMP)
	$(PY) -m pytest -n 2 --dist loadfile

## regenerate data/events.csv from the depositary pages in ../shared and the curated table
data: $(STAMP)
	$(VENV)/bin/treaty-exits build-data
	$(VENV)/bin/treaty-exits validate

validate: $(STAMP)
	$(VENV)/bin/treaty-exits validate

lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks/

benchmark: $(STAMP)
	$(PY) benchmarks/bench_status.py
	$(PY) benchmarks/bench_reports.py

clean:
	rm -rf $(OUT) .pytest_cache
