# sarcoma-edu: `make lab` to learn, `make test` to check everything.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8888

.PHONY: lab test bench lint expected clean venv browser-deps

# python3 -m venv needs Debian's python3-venv; install it when we can, otherwise say how.
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "sarcoma-edu needs Python 3.11 or newer; $(PYTHON) is $$($(PYTHON) --version 2>&1)"; exit 1; }
	@if ! $(PYTHON) -c 'import ensurepip, venv' 2>/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's python3-venv ..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; \
	  else echo "python3 -m venv is not available: run 'sudo apt-get install python3-venv' and try again"; exit 1; fi; \
	fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "Installing sarcoma-edu and its dependencies into $(VENV) ..."
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	@echo "Installing sarcoma-edu with test extras into $(VENV) ..."
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

venv: $(VENV)/.installed

# JupyterLab refuses to run as root (e.g. in a container) unless told to.
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

lab: $(VENV)/.installed
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks --port=$(PORT) $(ROOT_FLAG) \
	  --LabApp.default_url=/lab/tree/00_welcome.ipynb

# The browser test drives Debian's chromium (no browser download) and checks accessibility with
# axe-core from npm. As root (CI, containers) missing pieces are installed with apt-get; otherwise
# the test says what to install and, outside CI, skips.
AXE := tests/browser/node_modules/axe-core/axe.min.js
APT_INSTALL := apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends

browser-deps:
	@missing=""; \
	  command -v chromium >/dev/null || missing="$$missing chromium"; \
	  command -v npm >/dev/null || missing="$$missing npm"; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	      echo "Installing Debian packages for the browser test:$$missing ..."; $(APT_INSTALL) $$missing; \
	    else echo "The browser test needs$$missing: run 'sudo apt-get install$$missing' (it skips until then)"; fi; \
	  fi
	@if [ ! -f $(AXE) ] && command -v npm >/dev/null; then \
	  echo "Installing axe-core for the accessibility checks (npm ci in tests/browser) ..."; \
	  npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error; fi

# pytest exits 5 when it collects no test; that fails make, so an empty run can never pass.
test: $(VENV)/.installed-test browser-deps
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/bench_staging.py
	$(BIN)/python benchmarks/bench_widgets.py

# Re-record the expected outputs of `# NBVAL_CHECK_OUTPUT` cells; review the diff before committing.
expected: $(VENV)/.installed-test
	$(BIN)/python scripts/record_expected_outputs.py

lint: $(VENV)/.installed-test
	$(BIN)/ruff check sarcoma_edu tests benchmarks scripts conftest.py
	$(BIN)/ruff format --check sarcoma_edu tests benchmarks scripts conftest.py

clean:
	rm -rf $(VENV) build dist .hypothesis
