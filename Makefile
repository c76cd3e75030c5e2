# harmonize: `make run` sets up, ingests, indexes and serves; `make test` sets up and tests.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HARMONIZE := $(VENV)/bin/harmonize
STAMP := $(VENV)/.installed

.PHONY: help install ingest run test bench clean

help:
	@echo "make run      install, ingest the corpus and print the summary"
	@echo "make test     install and run the test suite"
	@echo "make ingest   (re)ingest the corpus into indexes/harmonize.sqlite (incremental)"
	@echo "make bench    run the benchmarks in bench/"

# torch is pinned first: the CPU build of 2.13.0 is on disk; an unpinned torch pulls CUDA.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

ingest: $(STAMP)
	$(HARMONIZE) ingest

run: ingest

test: $(STAMP)
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) bench/ingest_bench.py

clean:
	rm -rf indexes/*.sqlite indexes/*.sqlite-*
