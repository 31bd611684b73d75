# Every task a person or CI runs. Quick start: `make serve` (preview) and `make test` (all tests).
# Needs only Python 3.11.5+ and make; everything else is installed into .venv from the lock files.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Material's maintenance notice is noise in every build log.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build build-zensical offline publish test lint check check-ci bundle-name new-page bench system-deps lock clean

# The site's locked dependencies (requirements.txt), installed once per change of the lock file.
# Then the project's own package (scripts/rnk_briefings), editable, so both generators import its extensions.
$(VENV)/.site: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation --no-index -e .
	touch $@

# The test and lint tools (requirements-test.txt), on top of the site's.
$(VENV)/.test: $(VENV)/.site requirements-test.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt -r requirements-test.txt
	touch $@

# Zensical (Material for MkDocs' successor) and zensical-i18n, pinned: make build-zensical and the tests.
$(VENV)/.zensical: $(VENV)/.site requirements-zensical.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt -r requirements-zensical.txt
	touch $@

## serve: build and serve the site on http://127.0.0.1:8000 with live reload
serve: $(VENV)/.site
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

## build: strict build into site/ (built in site.tmp first, so a failed build publishes nothing)
build: $(VENV)/.site
	$(BIN)/python scripts/docs.py check
	rm -rf site.tmp
	$(BIN)/mkdocs build --strict --site-dir site.tmp
	rm -rf site && mv site.tmp site

# Browser-side files from the npm registry, pinned and integrity-checked by package-lock.json.
node_modules/.package-lock.json: package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund

## offline: build the offline variant and pack it as dist/rnk-briefings-offline-<date>.zip + .sha256
offline: $(VENV)/.site node_modules/.package-lock.json
	$(BIN)/python scripts/docs.py check
	rm -rf site-offline.tmp
	OFFLINE=true $(BIN)/mkdocs build --strict --site-dir site-offline.tmp
	rm -rf site-offline && mv site-offline.tmp site-offline
	$(BIN)/python scripts/docs.py bundle site-offline dist

## build-zensical: the same site built by Zensical and zensical-i18n into site-zensical/ (checks first)
build-zensical: $(VENV)/.zensical
	$(BIN)/python scripts/docs.py build-zensical site-zensical

## publish: what the Pages workflow deploys: the offline bundle, then the web site that links to it
publish: offline build

## check: the author checks alone (registry, citations, translations), fast, with file:line errors
check: $(VENV)/.site
	$(BIN)/python scripts/docs.py check

## check-ci: the author checks as GitHub annotations and a job summary (used by the workflows)
check-ci: $(VENV)/.site
	$(BIN)/python scripts/docs.py check --github

# The offline bundle's file name, as a GitHub Actions output line (used by the publish workflow).
bundle-name:
	@cd dist && ls rnk-briefings-offline-*.zip | sed 's/^/name=/'

## new-page: create a page in both languages and add it to the nav, e.g.
##   make new-page PAGE=briefings/sanctions TITLE_JA=制裁 TITLE_EN=Sanctions DESC_JA='…' DESC_EN='…'
new-page: $(VENV)/.site
	$(BIN)/python scripts/docs.py new-page "$(PAGE)" --title-ja "$(TITLE_JA)" --title-en "$(TITLE_EN)" --description-ja "$(DESC_JA)" --description-en "$(DESC_EN)"

## lint: ruff on the project's Python
lint: $(VENV)/.test
	$(BIN)/ruff check scripts tests
	$(BIN)/ruff format --check scripts tests

## test: lint, then every test (they build the real site and drive headless Chromium)
test: $(VENV)/.test $(VENV)/.zensical node_modules/.package-lock.json lint
	$(BIN)/python -m pytest

# Lighthouse for the benchmark, pinned by bench/package-lock.json (not needed to build or test).
bench/node_modules/.package-lock.json: bench/package-lock.json
	npm ci --prefix bench --ignore-scripts --no-audit --no-fund

## bench: build-time ratio and growth, page weights, Lighthouse on every page -> bench/results.md
bench: $(VENV)/.site bench/node_modules/.package-lock.json
	$(BIN)/python scripts/bench.py

## system-deps: Debian/Ubuntu packages the browser tests use, when missing: Chromium, Japanese fonts
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
system-deps:
	@if ! command -v chromium >/dev/null && [ -z "$$CHROMIUM_PATH" ]; then \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium; fi
	@if ! fc-list :lang=ja 2>/dev/null | grep -q .; then \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends fonts-noto-cjk; fi

## lock: regenerate requirements*.txt with hashes from requirements*.in
lock: $(VENV)/.site
	$(BIN)/python -m pip install --quiet uv==0.13.8
	$(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11.5 requirements.in -o requirements.txt
	$(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11.5 requirements-test.in -o requirements-test.txt
	$(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11.5 requirements-zensical.in -o requirements-zensical.txt

clean:
	rm -rf site site.tmp site-offline site-offline.tmp site-zensical dist .pytest_cache
