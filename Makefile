# CRM Workbench — `make lab` opens the course, `make test` runs every test.
# Both create .venv (python -m venv + pip) when it is missing and keep it up to date.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.installed
LAB_ARGS ?=
PYTEST_ARGS ?=

.PHONY: lab test unit lint demo bench venv clean-venv

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

lab: $(STAMP)
	@echo "Starting JupyterLab on course/ — open the http://127.0.0.1:... URL printed below."
	@echo "  English edition: 00_start_here.ipynb    中文版: zh/00_start_here.ipynb"
	$(VENV)/bin/jupyter lab --notebook-dir=course $$([ "$$(id -u)" = 0 ] && echo --allow-root) $(LAB_ARGS)

test: $(STAMP) lint
	PYTHONHASHSEED=0 TQDM_DISABLE=1 $(PY) -m pytest --nbval-lax --nbval-current-env --nbval-cell-timeout=120 -p no:cacheprovider $(PYTEST_ARGS)

unit: $(STAMP)
	$(PY) -m pytest -p no:nbval -p no:cacheprovider -m "not slow and not browser" tests simulation $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check simulation tests benchmarks datasets
	$(VENV)/bin/ruff format --check simulation tests benchmarks datasets

demo: $(STAMP)
	$(PY) -m simulation run --scenario baseline --seed 1

bench: $(STAMP)
	$(PY) -m pip install --quiet -e ".[test,bench]"
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; echo; done

clean-venv:
	rm -rf $(VENV)
