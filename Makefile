# The two commands of README.md. Needs only Python 3.10+ and make.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1:8000

AXE    := $(VENV)/node/node_modules/axe-core/axe.min.js

.PHONY: serve serve-zensical check test matrix build bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -e ".[docs,test,libraries]"
	# The site's renderers (tools/relu_docs) importable by mkdocs and zensical.
	$(BIN)/python -c "import pathlib, sysconfig; pathlib.Path(sysconfig.get_paths()['purelib'], 'relu_docs.pth').write_text('$(abspath tools)\n')"
	touch $(STAMP)

# axe-core, the accessibility checker the browser tests inject into each page.
$(AXE): | $(STAMP)
	npm install --prefix $(VENV)/node --no-audit --no-fund --silent axe-core@4.14.1

serve: $(STAMP)  ## build the site and serve it at http://$(HOST)/
	$(BIN)/mkdocs serve --dev-addr $(HOST)

serve-zensical: $(STAMP)  ## the same site built by Zensical, Material's successor
	$(BIN)/zensical serve --dev-addr $(HOST)

# Lint (a line length of 100), formatting and types: the habits that keep the code so.
check: $(STAMP)
	$(BIN)/ruff check src tools tests noxfile.py conftest.py
	$(BIN)/ruff format --check src tools tests noxfile.py conftest.py
	$(BIN)/mypy
	$(BIN)/zizmor --offline .github/workflows/

test: check $(AXE)  ## lint and types, then unit, property, docs code blocks, strict site build, browser tests; coverage of src/ with a floor
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m pytest --cov --cov-report=term

# The support matrix (noxfile.py): Python 3.10-3.13 with their oldest and newest
# NumPy, a build without a compiler, wheel and sdist outside the tree, ASan/UBSan.
# pyenv's interpreters, where present, are put on PATH for nox to find.
space := $(empty) $(empty)
PYENV_BINS := $(subst $(space),:,$(wildcard $(HOME)/.pyenv/versions/3.1[0-3]*/bin))
matrix: $(STAMP)
	$(BIN)/python -m pip install -q nox==2025.11.12
	PATH="$(PYENV_BINS):$$PATH" $(BIN)/nox $(NOX_ARGS)

build: $(STAMP)
	$(BIN)/mkdocs build --strict

bench: $(STAMP)
	$(BIN)/relu-bench

clean:
	rm -rf $(VENV) site .zensical-site .cache .nox .pytest_cache .hypothesis
