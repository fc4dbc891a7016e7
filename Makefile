# README.md's commands. Needs Python 3.10+ and make; `make test` also needs npm
# (axe-core) and Chromium (.ci/run installs both with apt-get).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1:8000
PIP    := $(BIN)/python -m pip install -q -c constraints.txt

# Three environments, each a superset of the one before, each with the exact
# versions of constraints.txt (pyproject.toml's dependency groups say what):
# docs, the site alone (no torch, JAX or browser); quick, + pytest, hypothesis
# and array-api-strict; test, + every other library, browser, notebooks, Zensical.
SITE   := $(VENV)/.site
QUICK  := $(VENV)/.quick
FULL   := $(VENV)/.full

AXE    := $(VENV)/node/node_modules/axe-core/axe.min.js

# pytest on two workers (pytest-xdist), each test file on one of them: the browser
# tests on one while the rest run on the other. WORKERS= runs in one process.
WORKERS ?= -n 2 --dist loadfile

.PHONY: serve serve-zensical build quick check test matrix bench clean

$(VENV)/.pip:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q pip==25.3  # dependency groups need pip >= 25.1
	touch $@

$(SITE): pyproject.toml constraints.txt | $(VENV)/.pip
	$(PIP) -e . --group docs
	# The site's renderers (tools/relu_docs) importable by mkdocs and zensical.
	$(BIN)/python -c "import pathlib, sysconfig; pathlib.Path(sysconfig.get_paths()['purelib'], 'relu_docs.pth').write_text('$(abspath tools)\n')"
	touch $@

$(QUICK): $(SITE)
	$(PIP) -e . --group quick
	touch $@

$(FULL): $(QUICK)
	$(PIP) -e . --group test
	touch $@

# axe-core, the accessibility checker the browser tests inject into each page.
$(AXE): | $(FULL)
	npm install --prefix $(VENV)/node --no-audit --no-fund --silent axe-core@4.14.1

serve: $(SITE)  ## build the site and serve it at http://$(HOST)/
	$(BIN)/mkdocs serve --dev-addr $(HOST)

build: $(SITE)
	$(BIN)/mkdocs build --strict

serve-zensical: $(FULL)  ## the same site built by Zensical, Material's successor
	$(BIN)/zensical serve --dev-addr $(HOST)

# Under a minute: unit and property tests, doctests, every page's code blocks
# but the two pages that need other array libraries, one strict site build;
# no browser, no Zensical, no notebooks. One page: .venv/bin/pytest docs/guide/choosing.md
QUICK_SKIP := --ignore=tests/test_browser.py --ignore=tests/test_zensical.py \
	--ignore=tests/test_notebooks.py --ignore=tests/test_libraries.py \
	--ignore=docs/guide/libraries.md --ignore=docs/guide/larger-than-memory.md
quick: $(QUICK)
	$(BIN)/python -m pytest -q -p no:cacheprovider $(WORKERS) $(QUICK_SKIP)

# Lint (a line length of 100), formatting and types: the habits that keep the code so.
check: $(FULL)
	$(BIN)/ruff check src tools tests noxfile.py conftest.py
	$(BIN)/ruff format --check src tools tests noxfile.py conftest.py
	$(BIN)/mypy
	$(BIN)/zizmor --offline .github/workflows/

test: check $(AXE)  ## lint and types, then unit, property, docs code blocks, strict site build, browser tests; coverage of src/ with a floor
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m pytest $(WORKERS) --cov --cov-report=term

# The support matrix (noxfile.py): Python 3.10-3.13 with their oldest and newest
# NumPy, a build without a compiler, wheel and sdist outside the tree, ASan/UBSan.
# pyenv's interpreters, where present, are put on PATH for nox to find.
space := $(empty) $(empty)
PYENV_BINS := $(subst $(space),:,$(wildcard $(HOME)/.pyenv/versions/3.1[0-3]*/bin))
matrix: $(QUICK)
	$(PIP) nox==2025.11.12
	PATH="$(PYENV_BINS):$$PATH" $(BIN)/nox $(NOX_ARGS)

# The benchmark's optional peers (torch, numexpr, numba: the peers extra), at
# constraints.txt's versions (torch==2.13.0).
$(VENV)/.peers: $(QUICK)
	$(PIP) -e ".[peers]"
	touch $@

bench: $(VENV)/.peers
	$(BIN)/relu-bench

clean:
	rm -rf $(VENV) site .zensical-site .cache .nox .pytest_cache .hypothesis
