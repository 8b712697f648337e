# citecheck: `make demo` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
GOLD   ?= ../shared/eval/dates
DEMO_OUT := archive/demo

.PHONY: install tools demo verify test eval bench bench-memory bench-extraction bench-history bench-claims bench-import replica clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,browse]'
	@touch $(STAMP)

SEED := demo/entscheiderbrief-04-2026.txt

# The seed document's footnotes read into citations (import), then the editor's citations.yaml
# (that import, with the links the conversion lost filled in by hand) against the bundled offline
# replica of the cited pages.
demo: install
	@mkdir -p $(DEMO_OUT)
	@echo '$$ citecheck import $(SEED) -o $(DEMO_OUT)/citations.yaml'
	@rm -f $(DEMO_OUT)/citations.yaml  # a fresh import each time, not a merge into the last one
	@$(BIN)/citecheck import $(SEED) -o $(DEMO_OUT)/citations.yaml
	@echo; echo '$$ citecheck verify citations.yaml --replay demo/replica.warc.gz'
	@$(BIN)/citecheck verify citations.yaml --replay demo/replica.warc.gz \
	    --json $(DEMO_OUT)/report.json --junit $(DEMO_OUT)/junit.xml --html $(DEMO_OUT)/report.html; \
	code=$$?; $(BIN)/python demo/explain.py $$code $(DEMO_OUT)

# The same job against the live web; the reports are in the run's folder, which the run names at its end.
verify: install
	$(BIN)/citecheck verify citations.yaml

test: install tools
	$(BIN)/python -m pytest -q

# pywb, which tests/test_archive_tools.py starts to replay runs, in a venv of its own (its pins are not ours).
tools: .tools/venv/bin/wayback
.tools/venv/bin/wayback:
	$(PYTHON) -m venv .tools/venv
	.tools/venv/bin/python -m pip install -q 'pywb==2.10.0'

# Date-extraction accuracy against a gold set (skipped when the folder is absent).
eval: install
	$(BIN)/python bench/eval_dates.py --gold $(GOLD)

# citecheck side by side with LinkChecker (installed into build/) and with htmldate + trafilatura alone,
# on the same 2,000 loopback pages (20 hosts): wall, CPU and memory of the process tree, as ratios.
# then the same pages through 1, 2 and 4 workers over a real redis-server.
bench: install
	$(BIN)/python bench/crawl.py $(BENCH_ARGS)
	$(BIN)/python bench/distributed.py

# Peak memory of the process tree at 2,000 and 10,000 URLs, first run and nightly run (low latency).
bench-memory: install
	$(BIN)/python bench/memory.py $(BENCH_ARGS)

# extract() per page against htmldate + trafilatura alone, on the bench pages and ../shared/eval/dates.
bench-extraction: install
	$(BIN)/python bench/extraction.py --gold $(GOLD)

# What a run reads of the archive before it crawls, after 1, 10 and 100 nights of history.
bench-history: install
	$(BIN)/python bench/history.py

# Claim anchoring: precision and recall of "unsupported" on the labelled sentence/source pairs.
bench-claims: install
	$(BIN)/python bench/claims.py --folds

# Import: how many fields of each reference are read right, on held-out documents in every format.
bench-import: install
	$(BIN)/python bench/import_accuracy.py

# Rebuild demo/replica.warc.gz from demo/pages/.
replica: install
	$(BIN)/python demo/build_replica.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
