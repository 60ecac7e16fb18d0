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
NAME := serge-edition
OUT := build

TEI_SOURCES := $(shell find tei -name '*.xml' -not -path 'tei/schema/*') tei/schema/edition.rng
CODE := $(shell find edition -name '*.py') pyproject.toml
STYLES := $(wildcard styles/*.css)
SHARED_TEI_ALL := ../shared/schemas/tei_all.rng

PDF := $(OUT)/$(NAME).pdf
LAYOUT := $(OUT)/$(NAME).layout.json
EPUB := $(OUT)/$(NAME).epub

.PHONY: all validate pdf epub test bench clean help schema

all: $(OUT)/validated.stamp $(PDF) $(EPUB) ## Set up .venv, validate tei/ and build both books into build/

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z]+):.*## /  make \1\t/' | expand -t 16

$(INSTALLED): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

validate: $(OUT)/validated.stamp ## Validate the edition in tei/ (schema and edition-wide rules)

$(OUT)/validated.stamp: $(INSTALLED) $(TEI_SOURCES) $(CODE)
	@mkdir -p $(OUT)
	$(EDITION) validate tei
	@touch $@

pdf: $(PDF) ## Build the PDF: build/serge-edition.pdf

epub: $(EPUB) ## Build the EPUB (page numbers from the PDF's layout): build/serge-edition.epub

# One recipe writes the PDF and the layout the EPUB takes its page numbers from.
$(PDF) $(LAYOUT) &: $(INSTALLED) $(TEI_SOURCES) $(CODE) $(STYLES)
	@mkdir -p $(OUT)
	$(EDITION) build tei --format pdf --out $(OUT)

$(EPUB): $(LAYOUT) $(INSTALLED) $(TEI_SOURCES) $(CODE) $(STYLES)
	$(EDITION) build tei --format epub --out $(OUT)

test: $(INSTALLED) ## Run the whole test suite (ruff, then pytest; `pytest -m "not slow"` for the quick part)
	$(BIN)/ruff check edition tests bench
	$(BIN)/python -m pytest

bench: $(INSTALLED) ## Print speed figures (validation, PDF, EPUB)
	$(BIN)/python bench/validate.py
	$(BIN)/python bench/pdf.py
	$(BIN)/python bench/epub.py
	$(BIN)/python bench/apparatus.py

schema: $(INSTALLED) ## Regenerate tei/schema/edition.rng from tei_all and tei/schema/customisation.toml
	$(BIN)/python -m edition.schemagen $(SHARED_TEI_ALL) tei/schema/customisation.toml tei/schema/edition.rng

clean: ## Remove build outputs (keeps .venv)
	rm -rf $(OUT)
