# sarcoma-edu: `make lab` to learn, `make check` while editing, `make test` to check everything.
#
#   make lab          your own copies of the lessons in JupyterLab
#   make present      a lesson on the projector in Voila (LESSON=03 DARK=1 LARGE=1)
#   make check        the edit-test loop (under 2 minutes): lint-imports, then pytest -m "not slow" on three
#                     workers; no browser, hub, lesson run or other slow test (conftest.py's SLOW says which)
#   make test         everything, as CI runs it: installs the test tools, chromium's pieces and the hub's
#                     proxy, then lint-imports and every test (pytest on three workers); with CI=true binder-check too
#   make lint         ruff check, ruff format --check and lint-imports (the package layers, pyproject.toml)
#   make binder-check a fresh environment from binder/ alone, then every lesson run with it
#   make screenshots  the README's pictures (docs/images/) from the browser tests
#   make bench        the benchmarks in benchmarks/
#   make expected     re-record the outputs of cells tagged nbval-check-output
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8888
# pytest-xdist: three workers on two cores. Many slow tests wait on a server, a kernel or a browser page, so two
# workers leave the cores idle part of the time; a third fills some of that wait (measured from a fresh clone: 12.6
# min on two workers, 12.3 min and 16.0 min of processor time on three). conftest.py keeps each notebook's cells on one worker, in order, and so the tests
# that share one hub or one lesson's Run All. WORKERS=0 runs everything in one process.
WORKERS ?= 3
PYTEST  := $(BIN)/python -m pytest -n $(WORKERS)

.PHONY: lab test check bench lint expected clean venv browser-deps hub-deps binder-check present screenshots

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
	@echo "Step 1 of 3: making a private Python environment in $(VENV) ..."
	@$(PYTHON) scripts/keep_talking.py --what "making the environment" -- $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip

# Reinstall only when pyproject.toml changes. pip shows what it downloads and installs (a few minutes
# the first time); while it installs without a word, scripts/keep_talking.py says every 10 s that it is
# still working, so the terminal is never silent for long.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "Step 2 of 3: installing sarcoma-edu, JupyterLab and the other packages into $(VENV) ..."
	@$(BIN)/python scripts/keep_talking.py --what "pip is installing the packages" -- \
	  $(BIN)/python -m pip install --progress-bar on -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	@echo "Installing sarcoma-edu with test extras into $(VENV) ..."
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

venv: $(VENV)/.installed

# JupyterLab refuses to run as root (e.g. in a container) unless told to.
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

# Students work on copies in $(LESSONS): the lessons in notebooks/ never change by being used
# (scripts/copy_lessons.py never replaces an edited copy without asking).
# JUPYTER_CONFIG_PATH: the toolkit's JupyterLab defaults (no news or update pop-ups; a lesson is saved
# without its outputs, so it reopens without "model not found"; closing a lesson's tab stops its kernel).
# The workspace (the tabs JupyterLab reopens) starts empty each time: only the welcome lesson opens.
# JupyterLab keeps this terminal busy until Ctrl+C; scripts/lab_ready.py says so, with the address to
# open, as soon as the server is listening (exec: the server keeps the process id of the shell that started the script).
# scripts/start_lab.py refuses a PORT already in use, naming the process that holds it and how to stop it, then
# becomes JupyterLab, which Linux stops when make dies (even by kill -9), so no server is left holding the port.
# port_retries=0: JupyterLab never moves to another port than the one printed.
LESSONS ?= my-lessons
LESSONS_DIR = $(patsubst ~%,$(HOME)%,$(LESSONS))
LAB_WORKSPACES := .lab-workspaces
lab: $(VENV)/.installed
	@echo "Step 3 of 3: your own copies of the lessons in $(LESSONS)/ (notebooks/ stays as it is), then JupyterLab on port $(PORT) (the first start takes a few seconds) ..."
	@$(BIN)/python scripts/copy_lessons.py '$(LESSONS_DIR)'
	@rm -rf $(LAB_WORKSPACES)
	@$(BIN)/python scripts/lab_ready.py --pid $$$$ & \
	  JUPYTER_CONFIG_PATH="$(CURDIR)/sarcoma_edu/jupyter/config$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" \
	  exec $(BIN)/python scripts/start_lab.py --port=$(PORT) -- $(BIN)/jupyter lab --ServerApp.root_dir='$(LESSONS_DIR)' --LabApp.workspaces_dir=$(LAB_WORKSPACES) \
	  --port=$(PORT) --ServerApp.port_retries=0 $(ROOT_FLAG) --LabApp.default_url=/lab/tree/00_welcome.ipynb

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

# The JupyterHub class test (tests/hub/test_hub.py) needs git (nbgitpuller pulls with it) and npm's
# configurable-http-proxy, pinned in tests/hub/package-lock.json; as root git comes from apt-get.
CHP := tests/hub/node_modules/.bin/configurable-http-proxy

hub-deps: browser-deps
	@if ! command -v git >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's git for the hub test ..."; $(APT_INSTALL) git; \
	  else echo "The hub test needs git: run 'sudo apt-get install git' (it skips until then)"; fi; \
	fi
	@if [ ! -x $(CHP) ] && command -v npm >/dev/null; then \
	  echo "Installing configurable-http-proxy for the hub test (npm ci in tests/hub) ..."; \
	  npm ci --prefix tests/hub --no-audit --no-fund --loglevel=error; fi

# pytest exits 5 when it collects no test (under xdist too); that fails make, so an empty run can never pass.
# lint-imports first: an upward import between the packages fails in seconds, naming the import.
# In CI (CI=true) the Binder environment is checked as well.
test: $(VENV)/.installed-test browser-deps hub-deps
	$(BIN)/lint-imports
	$(PYTEST)
	@if [ "$$CI" = true ]; then $(MAKE) --no-print-directory binder-check; fi

# The fast subset for the edit-test loop: every test not marked slow (conftest.py's SLOW names the slow ones);
# it ends by listing any test it ran that took over 5 s, so a new slow test is noticed.
check: $(VENV)/.installed-test
	$(BIN)/lint-imports
	$(PYTEST) -m "not slow"

# What a Binder build does, short of the container: a fresh environment from exactly binder/
# (requirements.txt, then postBuild), then every lesson run top to bottom with it.
BINDER_VENV := .binder-venv
binder-check: | $(BIN)/python
	@want=$$(sed -n 's/^python-\([0-9]*\.[0-9]*\).*/\1/p' binder/runtime.txt); \
	  have=$$($(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
	  [ "$$want" = "$$have" ] || echo "Note: binder/runtime.txt asks for Python $$want; checking with $$have."
	rm -rf $(BINDER_VENV)
	$(PYTHON) -m venv $(BINDER_VENV)
	$(BINDER_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BINDER_VENV)/bin/python -m pip install --quiet -r binder/requirements.txt
	PATH="$(CURDIR)/$(BINDER_VENV)/bin:$$PATH" bash binder/postBuild
	$(BINDER_VENV)/bin/python scripts/run_lessons.py

# Present a lesson on the projector in Voila (code hidden): make present LESSON=03 DARK=1 LARGE=1
# DARK and LARGE are 1/yes/true (on) or 0/no/false/empty (off: DARK=0 is light); anything else stops
# with a message. LESSON is a number, a name or a path to a notebook; DIR=folder finds it in your copy.
LESSON ?= 03_staging
_flag = $(if $(filter 1 yes true on,$(1)),1,$(if $(filter-out 0 no false off,$(1)),$(error $(2)=$(1) is not understood: use $(2)=1 or $(2)=0)))
present: $(VENV)/.installed
	$(BIN)/sarcoma-edu present '$(LESSON)' $(if $(DIR),--dir '$(DIR)') $(if $(call _flag,$(DARK),DARK),--dark) \
	  $(if $(call _flag,$(LARGE),LARGE),--large-text)

# Refresh every picture the README shows (docs/images/) from a real browser run: the browser tests that take them,
# as tests/browser/pictures.py lists them, each recording in docs/images/pictures.json the code it was taken from
# (tests/repo/test_readme_pictures.py fails when that code has changed since).
screenshots: $(VENV)/.installed-test browser-deps
	SARCOMA_EDU_README_SHOTS=docs/images $(PYTEST) $$($(BIN)/python -m tests.browser.pictures)

bench: $(VENV)/.installed-test browser-deps
	$(BIN)/python benchmarks/bench_staging.py
	$(BIN)/python benchmarks/bench_widgets.py
	$(BIN)/python benchmarks/bench_report.py
	$(BIN)/python benchmarks/bench_polls.py
	$(BIN)/python benchmarks/bench_browser.py

# Re-record the expected outputs of cells tagged nbval-check-output (into tests/notebook_outputs.json); review the diff before committing.
expected: $(VENV)/.installed-test
	$(BIN)/python scripts/record_expected_outputs.py

lint: $(VENV)/.installed-test
	$(BIN)/ruff check sarcoma_edu tests benchmarks scripts conftest.py
	$(BIN)/ruff format --check sarcoma_edu tests benchmarks scripts conftest.py
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) $(BINDER_VENV) build dist .hypothesis $(LAB_WORKSPACES)
