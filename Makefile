# Redis Lab — the two commands a newcomer needs: `make lab` and `make test`.
# Everything installs into .venv from requirements.txt (pinned) + this project (editable).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8888
STAMP  := $(VENV)/.installed-stamp
# Set REQUIRE_REDIS=1 (CI does) to make differential tests fail, not skip, without redis-server,
# and REQUIRE_BROWSER=1 to make the browser test fail, not skip, without chromium.
REQUIRE_REDIS ?= 0
REQUIRE_BROWSER ?= 0
PYTEST_WORKERS ?= 2

export PYTHONHASHSEED := 0

NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: setup lab test test-engine test-chapters test-browser lint bench notebooks clean

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required (set PYTHON=python3.11)"'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	$(BIN)/python -m pip install -q --no-deps -e .
	@# rfc3987-syntax costs 3-5 s per Jupyter process and kernel; jsonschema does not need it.
	$(BIN)/python -m pip uninstall -y -q rfc3987-syntax || true
	@touch $(STAMP)

lab: setup
	$(BIN)/jupyter lab --ip 127.0.0.1 --port $(PORT) --ServerApp.root_dir=chapters

lint: setup
	$(BIN)/ruff check lab widgets tests bench tools

# The whole suite: lint, engine/unit/differential tests, the chapters (nbval compares every
# stored output; papermill re-runs them with other parameters), and the browser test.
test: setup lint test-engine test-chapters test-browser

test-engine: setup
	LAB_REQUIRE_REDIS=$(REQUIRE_REDIS) $(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadfile tests
	@# the differential suite again, through the RESP server: the wire path, byte for byte
	LAB_REQUIRE_REDIS=$(REQUIRE_REDIS) LAB_DIFF_WIRE=1 $(BIN)/pytest -q -n $(PYTEST_WORKERS) \
		--dist loadfile tests/differential

test-chapters: setup
	$(BIN)/pytest -q -p no:cacheprovider $(NBVAL) -n $(PYTEST_WORKERS) --dist loadfile chapters
	$(BIN)/python tools/papermill_chapters.py

test-browser: setup
	LAB_REQUIRE_BROWSER=$(REQUIRE_BROWSER) $(BIN)/pytest -q -p no:cacheprovider tests/browser

# Regenerate every chapter's stored outputs (after a change that alters them).
notebooks: setup
	$(BIN)/python tools/execute_chapters.py

bench: setup
	$(BIN)/python bench/bench_client.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
