# Redis Lab — the two commands a newcomer needs: `make lab` and `make test`.
# Everything installs into .venv from requirements.txt (pinned) + this project (editable).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8888
STAMP  := $(VENV)/.installed-stamp
# Set REQUIRE_REDIS=1 (CI does) to make differential tests fail, not skip, without redis-server.
REQUIRE_REDIS ?= 0
PYTEST_WORKERS ?= 2

export PYTHONHASHSEED := 0

.PHONY: setup lab test test-fast lint bench clean

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
	$(BIN)/ruff check lab widgets tests bench

test: setup lint
	LAB_REQUIRE_REDIS=$(REQUIRE_REDIS) $(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadfile tests

bench: setup
	$(BIN)/python bench/bench_client.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
