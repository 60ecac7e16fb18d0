# Two commands on a fresh machine: `make` (set up, validate, build) and `make test`.
# Outputs are real files that depend on what they are made from, so a second `make` does nothing.

.DELETE_ON_ERROR:
.DEFAULT_GOAL := all
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EDITION := $(BIN)/edition
INSTALLED := $(VENV)/.installed
OUT := build
# The editions to build, each a folder (its books are named after its manifest: build/serge-edition.pdf).
EDITIONS ?= tei

CODE := $(shell find edition -name '*.py' -o -name '*.css' -o -name '*.rng' -o -name '*.toml' | grep -v __pycache__) pyproject.toml
# One stamp per edition records that its books are built from its present sources.
stamp = $(OUT)/.$(subst /,+,$(1)).built
STAMPS := $(foreach edition,$(EDITIONS),$(call stamp,$(edition)))

.PHONY: all validate pdf epub test bench clean help schema

all: $(STAMPS) ## Set up .venv, validate each edition (default tei/) and build its PDF and EPUB into build/

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z]+):.*## /  make \1\t/' | expand -t 16

$(INSTALLED): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

# An edition's books depend on everything in its folder that the build reads, and on the code.
.SECONDEXPANSION:
$(OUT)/.%.built: $(INSTALLED) $(CODE) $$(shell find $$(subst +,/,$$*) -name '*.xml' -o -name '*.toml' -o -name '*.rng' -o -name '*.ttf' -o -name '*.otf')
	@mkdir -p $(OUT)
	$(EDITION) validate $(subst +,/,$*)
	$(EDITION) build $(subst +,/,$*) --out $(OUT)
	@touch $@

validate: $(INSTALLED) ## Validate each edition (schema and edition-wide rules)
	@for edition in $(EDITIONS); do $(EDITION) validate $$edition || exit 1; done

pdf: $(INSTALLED) ## Build each edition's PDF (and the layout its EPUB takes its pages from)
	@for edition in $(EDITIONS); do $(EDITION) build $$edition --format pdf --out $(OUT) || exit 1; done

epub: $(INSTALLED) ## Build each edition's EPUB (laying the book out first if its PDF was not built)
	@for edition in $(EDITIONS); do $(EDITION) build $$edition --format epub --out $(OUT) || exit 1; done

test: $(INSTALLED) ## Run the whole test suite (ruff, then pytest; `pytest -m "not slow"` for the quick part)
	$(BIN)/ruff check edition tests bench
	$(BIN)/python -m pytest

bench: $(INSTALLED) ## Print speed figures (validation, PDF, EPUB, the watch's check and preview)
	$(BIN)/python bench/validate.py
	$(BIN)/python bench/pdf.py
	$(BIN)/python bench/epub.py
	$(BIN)/python bench/apparatus.py
	$(BIN)/python bench/scale.py
	$(BIN)/python bench/watch.py

schema: $(INSTALLED) ## Regenerate tei/schema/edition.rng from tei_all and tei/schema/customisation.toml
	$(EDITION) schema tei

clean: ## Remove build outputs (keeps .venv)
	rm -rf $(OUT)
