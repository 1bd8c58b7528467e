# Two commands do all set-up: `make run` and `make test`. `make env` is idempotent.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed
DB ?= presswatch.db

.PHONY: env run test clean

env: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: env
	$(VENV)/bin/presswatch ingest examples --db $(DB)
	$(VENV)/bin/presswatch articles --db $(DB) --limit 8
	$(VENV)/bin/presswatch statements --db $(DB) --limit 12
	$(VENV)/bin/presswatch stories --db $(DB)

test: env
	$(VENV)/bin/python -m pytest

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm
