# Two commands: `make run` serves the dashboard on the demo data; `make test` runs every test.
# Each target creates .venv from the pinned requirements when missing or out of date.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= $(or $(CSPDASH_DB),data/warehouse/cspdash.duckdb)
export STREAMLIT_BROWSER_GATHER_USAGE_STATS := false

.PHONY: run test bench demo lint setup setup-dev clean

$(VENV)/.runtime: requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@

setup: $(VENV)/.runtime
setup-dev: $(VENV)/.dev

$(DB): | $(VENV)/.runtime
	@echo "Building the demo database (first run only, about 15 s)..."
	$(BIN)/python -m cspdash demo --db $(DB)

demo: $(VENV)/.runtime
	$(BIN)/python -m cspdash demo --db $(DB)

run: $(VENV)/.runtime $(DB)
	CSPDASH_DB=$(DB) $(BIN)/python -m streamlit run dashboard.py $(ARGS)

test: $(VENV)/.dev
	$(BIN)/python -m pytest

lint: $(VENV)/.dev
	$(BIN)/lint-imports

bench: $(VENV)/.dev
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) data/warehouse/*.duckdb data/warehouse/*.wal
