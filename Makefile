# Kechuang: `make run` and `make test` are the contract with a newcomer (see README).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint setup prod-check clean

$(STAMP): pyproject.toml
	@python_bin=$$(scripts/find-python.sh) || exit 1; \
	if [ ! -x $(PY) ]; then echo "创建虚拟环境 / creating venv with $$python_bin"; "$$python_bin" -m venv $(VENV); fi
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@mkdir -p var
	@touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	@scripts/run-dev.sh

test: $(STAMP)
	@mkdir -p var
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	KECHUANG_TESTING=1 $(VENV)/bin/kechuang makemigrations --check --dry-run

# PostgreSQL + Redis, two gunicorn app servers and a task worker on loopback, with a smoke test through both.
prod-check: $(STAMP)
	$(PY) scripts/prod_check.py

clean:
	rm -rf $(VENV) var
