# Two commands do everything on a fresh machine: `make build` and `make test`.
# Every install step lives here: the virtual environment is created and the
# project installed whenever pyproject.toml is newer than the last install.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export DBT_SEND_ANONYMOUS_USAGE_STATS := False

.PHONY: build test refresh bench bench-build bench-refresh bench-query install clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

build: $(STAMP)
	$(BIN)/xxgk build --reports data/reports --warehouse warehouse.duckdb

refresh: $(STAMP)
	$(BIN)/xxgk refresh --reports data/reports --warehouse warehouse.duckdb

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python scripts/bench_parse.py

bench-build: $(STAMP)
	$(BIN)/python scripts/bench_build.py

bench-refresh: $(STAMP)
	$(BIN)/python scripts/bench_refresh.py

bench-query: $(STAMP)
	$(BIN)/python scripts/bench_query.py

clean:
	rm -rf $(VENV) target logs warehouse.duckdb
