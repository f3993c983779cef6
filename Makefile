# Kechuang: `make run` and `make test` are the contract with a newcomer (see README).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint setup prod-check clean bench bench-full

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

# In parallel, one worker per core (pyproject's addopts). One app: PYTEST_ARGS=kechuang/vouchers; serially: -n 0.
test: $(STAMP)
	@mkdir -p var
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint --lint templates kechuang
	KECHUANG_TESTING=1 $(VENV)/bin/kechuang makemigrations --check --dry-run
	$(PY) scripts/check_licences.py

# PostgreSQL + Redis, two gunicorn app servers and a task worker on loopback, with a smoke test through both.
prod-check: $(STAMP)
	$(PY) scripts/prod_check.py

# Benchmarks (bench/README.md): small scale in a few minutes on SQLite (or DATABASE_URL); never part of `make test`.
bench: $(STAMP)
	nice -n 10 $(PY) bench/run.py --scale small

# Province scale on PostgreSQL database kc_bench (BENCH_SCALE=medium for the intermediate scale).
BENCH_SCALE ?= full
bench-full: $(STAMP)
	DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kc_bench} nice -n 19 $(PY) bench/run.py --scale $(BENCH_SCALE) --readme --note "$(BENCH_NOTE)"

clean:
	rm -rf $(VENV) var
