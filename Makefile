# Every task a person or CI runs. Quick start: `make serve` (preview) and `make test` (all tests).
# Needs only Python 3.11.5+ and make; everything else is installed into .venv from the lock files.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Material's maintenance notice is noise in every build log.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build build-zensical offline pdf publish test lint check check-ci bundle-name new-page bench screenshots system-deps lock audit clean

# System packages (Debian/Ubuntu names) a task needs, installed when missing (as root or with
# passwordless sudo), or else the exact command to run: see scripts/system-deps.sh.
SYSTEM_DEPS := PYTHON=$(PYTHON) sh scripts/system-deps.sh

# The site's locked dependencies (requirements.txt), installed once per change of the lock file.
# Then the project's own package (scripts/rnk_briefings), editable, so both generators import its extensions.
$(VENV)/.site: requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(SYSTEM_DEPS) venv
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation --no-index -e .
	touch $@

# The test and lint tools (requirements-test.txt), on top of the site's.
$(VENV)/.test: $(VENV)/.site requirements-test.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt -r requirements-test.txt
	touch $@

# WeasyPrint for the PDF edition (requirements-pdf.txt): make pdf and the tests.
$(VENV)/.pdf: $(VENV)/.site requirements-pdf.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt -r requirements-pdf.txt
	touch $@

# Zensical (Material for MkDocs' successor) and zensical-i18n, pinned: make build-zensical and the tests.
$(VENV)/.zensical: $(VENV)/.site requirements-zensical.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt -r requirements-zensical.txt
	touch $@

## serve: build and serve the site on http://127.0.0.1:8000 with live reload (make serve PORT=8765 HOST=0.0.0.0)
# Rebuilds on every change to docs/, data/, overrides/ and mkdocs.yml, and restarts on scripts/;
# an author's mistake is printed and the server keeps running. PORT and HOST are taken from the
# command line only (`:=`), never from the environment, where shells and hosts often set them.
HOST := 127.0.0.1
PORT := 8000
serve: $(VENV)/.site node_modules/.package-lock.json
	$(BIN)/python scripts/docs.py serve --dev-addr $(HOST):$(PORT)

## build: the checks, then a strict build into site/ (via site.tmp: a failed build publishes nothing)
build: $(VENV)/.site node_modules/.package-lock.json
	$(BIN)/python scripts/docs.py build site

# Browser-side files and the maps' open geodata from the npm registry, pinned and integrity-checked by
# package-lock.json.
node_modules/.package-lock.json: package-lock.json
	@$(SYSTEM_DEPS) npm
	npm ci --ignore-scripts --no-audit --no-fund

## pdf: the PDF edition, one book per language: dist/rnk-briefings-<lang>-<date>.pdf (from a build in site-pdf/)
pdf: $(VENV)/.site $(VENV)/.pdf node_modules/.package-lock.json
	@$(SYSTEM_DEPS) pdf
	$(BIN)/python scripts/docs.py build site-pdf
	$(BIN)/python -m rnk_briefings.publications.pdf site-pdf dist

## offline: the PDFs, then the offline variant packed with them as dist/rnk-briefings-offline-<date>.zip + .sha256
offline: pdf $(VENV)/.site node_modules/.package-lock.json
	$(BIN)/python scripts/docs.py build --offline site-offline
	$(BIN)/python scripts/docs.py bundle site-offline dist

## build-zensical: the same site built by Zensical and zensical-i18n into site-zensical/ (checks first)
build-zensical: $(VENV)/.zensical
	$(BIN)/python scripts/docs.py build-zensical site-zensical

## publish: what the Pages workflow deploys: the PDFs and the offline bundle, then the web site that links to them
publish: offline build

## check: the author checks alone (registry, citations, translations), fast, with file:line errors
check: $(VENV)/.site node_modules/.package-lock.json
	$(BIN)/python scripts/docs.py check

## check-ci: the author checks as GitHub annotations and a job summary (used by the workflows)
check-ci: $(VENV)/.site node_modules/.package-lock.json
	$(BIN)/python scripts/docs.py check --github

# The offline bundle's file name, as a GitHub Actions output line (used by the publish workflow).
bundle-name:
	@cd dist && ls rnk-briefings-offline-*.zip | sed 's/^/name=/'

## new-page: create a page in both languages and add it to the nav, e.g.
##   make new-page PAGE=briefings/sanctions TITLE_JA=制裁 TITLE_EN=Sanctions DESC_JA='…' DESC_EN='…'
new-page: $(VENV)/.site
	@# From the environment, not pasted into the command line: quotes and colons in titles survive.
	$(BIN)/python scripts/docs.py new-page "$$PAGE" --title-ja "$$TITLE_JA" --title-en "$$TITLE_EN" --description-ja "$$DESC_JA" --description-en "$$DESC_EN"

## lint: ruff on the project's Python, and the pipeline's layers (import-linter: pyproject.toml)
lint: $(VENV)/.test
	$(BIN)/ruff check scripts tests
	$(BIN)/ruff format --check scripts tests
	$(BIN)/lint-imports

## test: lint, then every test on 2 cores, one worker per file (they build the real site and drive headless Chromium)
test: system-deps $(VENV)/.test $(VENV)/.pdf $(VENV)/.zensical node_modules/.package-lock.json lint
	$(BIN)/python -m pytest -n 2 --dist loadfile

# Lighthouse for the benchmark, pinned by bench/package-lock.json (not needed to build or test).
bench/node_modules/.package-lock.json: bench/package-lock.json
	npm ci --prefix bench --ignore-scripts --no-audit --no-fund

## screenshots: every page at 390 and 1366 px, both languages (and the figures page dark) -> screenshots/*.png, for review
screenshots: build $(VENV)/.test
	@$(SYSTEM_DEPS) browser
	cd tests && ../$(BIN)/python screenshots.py ../site ../screenshots

## bench: build-time ratio and growth, PDF build time and sizes, page weights, Lighthouse on every page -> bench/results.md
bench: $(VENV)/.site $(VENV)/.test $(VENV)/.pdf bench/node_modules/.package-lock.json
	@$(SYSTEM_DEPS) browser pdf
	$(BIN)/python scripts/bench.py

## system-deps: the Debian/Ubuntu packages the tests use, when missing: python3-venv, npm, Chromium,
##   Japanese and English fonts, WeasyPrint's Pango and HarfBuzz (make test runs it first)
system-deps:
	@$(SYSTEM_DEPS) venv npm browser pdf

## lock: regenerate requirements*.txt with hashes from requirements*.in
lock: $(VENV)/.site
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-lock.txt
	$(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11.5 requirements.in -o requirements.txt
	$(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11.5 requirements-test.in -o requirements-test.txt
	$(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11.5 requirements-pdf.in -o requirements-pdf.txt
	$(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11.5 requirements-zensical.in -o requirements-zensical.txt
	$(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11.5 requirements-lock.in -o requirements-lock.txt
	$(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11.5 requirements-audit.in -o requirements-audit.txt

# pip-audit in a venv of its own (its dependencies stay out of the site's), pinned with hashes.
$(VENV)/audit/.installed: requirements-audit.txt
	test -x $(VENV)/audit/bin/python || $(PYTHON) -m venv $(VENV)/audit
	$(VENV)/audit/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-audit.txt
	touch $@

## audit: known vulnerabilities in every lock file (PyPI's and npm's advisories; needs network, so not in make test)
audit: $(VENV)/audit/.installed
	for lock in requirements*.txt; do $(VENV)/audit/bin/pip-audit --strict --disable-pip --require-hashes -r $$lock || exit 1; done
	npm audit --package-lock-only --audit-level=low
	npm audit --package-lock-only --audit-level=low --prefix bench

clean:
	rm -rf site site.tmp site-offline site-offline.tmp site-zensical site-pdf dist .pytest_cache
