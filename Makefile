# Spotify Lake — developer entry points. `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
EXTRAS  = dashboard,airflow,gooddata,dev
PYTEST_ARGS ?=

.PHONY: install test demo lint bench airflow stack screenshots

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[$(EXTRAS)]'
	touch $@

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check etl dashboard dags tests benchmarks

# The main job on the embedded default (DuckDB): a generated export, ingested, then served.
demo: install
	@test -n "$$(ls data_lake/landing 2>/dev/null | grep -v '^_')" || \
	  $(BIN)/spotify-lake generate data_lake/landing/demo-export.zip --plays 50000 --kind both --seed 7
	$(BIN)/spotify-lake ingest data_lake/landing
	$(BIN)/spotify-lake status
	$(BIN)/spotify-lake dashboard

bench: install
	$(BIN)/python benchmarks/ingest.py

# Airflow on this machine (no Docker): standalone, LocalExecutor, dags/ and the local lake.
airflow: install
	./setup/airflow_standalone.sh

# The full Compose stack (needs Docker Compose >= 2.26); writes .env with random secrets once.
stack:
	test -f .env || $(PYTHON) setup/make_env.py
	docker compose up -d --build

# Refresh the README's screenshots (dashboard pages and the Airflow UI) from the browser tests.
screenshots: install
	mkdir -p docs/screenshots
	SPOTIFY_LAKE_SCREENSHOTS=1 $(BIN)/python -m pytest tests/dashboard/test_browser.py tests/dags/test_standalone.py
