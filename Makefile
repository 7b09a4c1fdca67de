# Two commands do everything on a fresh machine: `make build` and `make test`.
# Every install step lives here: the virtual environment is created and the
# project installed whenever pyproject.toml is newer than the last install.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export DBT_SEND_ANONYMOUS_USAGE_STATS := False

# The message catalogs: ingest/locale/<lang>/LC_MESSAGES/xxgk.po compiled to .mo (ingest.i18n
# compiles a missing or stale one in memory, so this only saves the work at each start).
CATALOGS := $(patsubst %.po,%.mo,$(wildcard ingest/locale/*/LC_MESSAGES/*.po))

.PHONY: build test refresh bench bench-build bench-refresh bench-hostile bench-query bench-report bench-scale install browser clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

%.mo: %.po $(STAMP)
	$(BIN)/pybabel -q compile -i $< -o $@

install: $(STAMP) $(CATALOGS)

# The report's tests open it in headless Chromium with CJK fonts: install them when missing
# (Debian packages; as root, or through sudo). Without them the tests fail, saying so.
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  echo "installing chromium and fonts-noto-cjk (apt-get)"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk fontconfig \
	  || { echo "could not install chromium and fonts-noto-cjk: the report's browser tests need them"; exit 1; }; \
	fi

build: install
	$(BIN)/xxgk build --reports data/reports --warehouse warehouse.duckdb

refresh: install
	$(BIN)/xxgk refresh --reports data/reports --warehouse warehouse.duckdb

test: install browser
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python scripts/bench_parse.py

bench-build: $(STAMP)
	$(BIN)/python scripts/bench_build.py

bench-refresh: $(STAMP)
	$(BIN)/python scripts/bench_refresh.py --reports 10000

bench-hostile: $(STAMP)
	$(BIN)/python scripts/bench_hostile.py

bench-query: $(STAMP)
	$(BIN)/python scripts/bench_query.py

# 10k, 30k and 100k reports, rendered into a temporary folder; `make bench-scale SCALE_DIR=DIR`
# keeps the corpora and warehouses (about 3 GB + 3 GB) in DIR, so that the next run only builds.
SCALE_DIR ?=
bench-scale: $(STAMP)
	$(BIN)/python scripts/bench_scale.py $(if $(SCALE_DIR),--keep $(SCALE_DIR))

bench-report: install browser
	$(BIN)/python scripts/bench_report.py

clean:
	rm -rf $(VENV) target logs warehouse.duckdb
