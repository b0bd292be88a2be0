# The README's two commands: `make run` and `make test`. Everything they need is
# installed here, into .venv, from the project's own files.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | sha256sum | cut -c1-12)
# Prefect's defaults (state under the project in .prefect, never phoning home) are
# set by the code itself, flows.config.set_process_defaults, for every entry point.

.PHONY: setup run test bench release clean

setup: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c requirements.lock -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

run: setup
	$(BIN)/scodata build --input seeds/documents --output output

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python bench/run.py
	$(BIN)/python bench/scale.py
	$(BIN)/python bench/quality.py
	$(BIN)/python bench/events_quality.py
	$(BIN)/python bench/events_readouts.py
	$(BIN)/python bench/events_news.py
	$(BIN)/python bench/quotes_quality.py
	$(BIN)/python bench/incremental.py
	$(BIN)/python bench/extraction.py

VERSION ?= $(shell $(BIN)/python -c "import flows; print(flows.__version__)" 2>/dev/null)
TEXT ?= auto
release: setup
	test -f output/build.json || $(BIN)/scodata build --input seeds/documents --output output
	$(BIN)/scodata release --version $(VERSION) --text $(TEXT)

clean:
	find output -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
	rm -rf .prefect
