# The two commands of README.md. Needs only Python 3.10+ and make.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1:8000

AXE    := $(VENV)/node/node_modules/axe-core/axe.min.js

.PHONY: serve serve-zensical test build bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -e ".[docs,test]"
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

test: $(STAMP) $(AXE)  ## unit, property, docs code blocks, strict site build, browser tests
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m pytest

build: $(STAMP)
	$(BIN)/mkdocs build --strict

bench: $(STAMP)
	$(BIN)/relu-bench

clean:
	rm -rf $(VENV) site .zensical-site .cache .pytest_cache .hypothesis
