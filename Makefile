# harmonize: `make run` sets up, ingests, indexes and serves; `make test` sets up and tests.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HARMONIZE := $(VENV)/bin/harmonize
STAMP := $(VENV)/.installed

.PHONY: help install ingest index serve run test bench eval clean

help:
	@echo "make run      install, ingest, index the corpus and serve the web UI on 127.0.0.1:5000"
	@echo "make test     install and run the test suite"
	@echo "make ingest   (re)ingest the corpus into indexes/harmonize.sqlite (incremental)"
	@echo "make index    ingest, embed and index, save alignments (incremental, atomic)"
	@echo "make serve    serve the web UI and JSON API on 127.0.0.1:5000 (needs make index)"
	@echo "make bench    run the benchmarks in bench/ (prints figures)"
	@echo "make eval     score penalties, alignment, extradition and retrieval on ../shared/eval"

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

index: $(STAMP)
	$(HARMONIZE) index

serve: $(STAMP)
	$(HARMONIZE) serve

run: index serve

test: $(STAMP)
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) bench/search_bench.py
	$(PY) bench/web_bench.py
	$(PY) bench/reviews_bench.py --data indexes

eval: $(STAMP)
	$(PY) bench/eval_penalties.py
	$(PY) bench/eval_alignment.py
	$(PY) bench/eval_extradition.py
	$(PY) bench/eval_retrieval.py

clean:
	rm -rf indexes/harmonize.sqlite* indexes/index indexes/index.*
