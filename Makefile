# The README's commands. Each creates its own virtual environment and installs what it needs.
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
# Tests and CI read the public data sets from ../shared/data unless FOEDUS_SOURCES says otherwise.
FOEDUS_SOURCES ?= $(abspath $(wildcard ../shared/data))
export FOEDUS_SOURCES

.PHONY: serve test lint typecheck unit build docs vocab vendor bench clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# pytrec-eval (for text2sparql-client) first, from the offline stand-in: .ci/pytrec-eval-shim says why
	$(BIN)/pip install --quiet ./.ci/pytrec-eval-shim
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

ui-assets: package.json
	bash .ci/system-deps serve
	@if [ ! -d node_modules/@zazuko/yasgui ] || [ package.json -nt node_modules ]; then npm ci --no-audit --no-fund || npm install --no-audit --no-fund; fi

## vendor: regenerate server/static/vendor (the front-end files the package ships) after changing package.json
vendor: $(VENV)/.installed ui-assets
	$(PY) -m foedus.server.vendor node_modules

## serve: build the release (once) and serve it on http://127.0.0.1:8000
serve: $(VENV)/.installed ui-assets
	@if [ ! -e releases/latest ]; then $(BIN)/foedus build; fi
	$(BIN)/foedus serve

## build: build a new release into releases/
build: $(VENV)/.installed
	bash .ci/system-deps serve
	$(BIN)/foedus build

## test: lint, type-check and run the whole test suite
test: $(VENV)/.installed ui-assets
	bash .ci/system-deps test
	$(MAKE) lint typecheck unit

lint: $(VENV)/.installed
	$(BIN)/ruff check foedus graph server ontology shapes queries tests bench
typecheck: $(VENV)/.installed
	$(BIN)/mypy foedus graph server ontology shapes queries
unit: $(VENV)/.installed
	$(BIN)/pytest -q -p no:cacheprovider

docs: $(VENV)/.installed
	$(BIN)/foedus ontology docs

## vocab: regenerate foedus/fo_terms.py after editing ontology/foedus.ttl
vocab: $(VENV)/.installed
	$(PY) -m foedus.ontology.codegen

bench: $(VENV)/.installed
	bash .ci/system-deps bench
	$(BIN)/pip install --quiet -e '.[bench]'
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) build releases node_modules
