# Two commands do all set-up: `make run` and `make test`. `make env` is idempotent.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed
DB ?= presswatch.db

.PHONY: env run test clean browser

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
	@echo
	@echo "Open the web UI on these examples: $(VENV)/bin/presswatch serve --db $(DB)"
	@echo "then browse http://127.0.0.1:8000/ (the HTTP API and its docs are at /api and /docs)."

# The web UI's browser tests drive Debian's chromium through the playwright package (in the dev
# extra): Playwright's own browser download needs a network this project does not have.
browser: env
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; } \
		|| echo "chromium could not be installed (apt-get needs root); the browser tests will skip"

test: env browser
	$(VENV)/bin/python -m pytest

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm $(DB).analyse.lock
