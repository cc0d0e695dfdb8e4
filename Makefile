# The two commands of the README: `make run` and `make test`; `make check` is the inner loop.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
FLASK := $(VENV)/bin/flask --app server
PORT ?= 8000
# The local test identity provider `make run` starts beside the app (server/identity/dev_provider.py):
# staff sign in through it as with the municipality's login; passwords stay on in development.
IDP_PORT ?= 9400
export TRIVSEL_ENV ?= development
# Bytecode caches written: with PYTHONDONTWRITEBYTECODE set (as in some sandboxes), every pytest
# worker, the lane checks' pytest runs and every gunicorn a test starts compiled the code
# again, and pytest rewrote every test module's assertions anew (about 5 s of CPU per process
# that collects the suite). __pycache__/ is ignored by git.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test check coverage durations lint pwa install db clean browsers fonts bench bench-deps contract fuzz

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# `npm install` with the committed lock file, not `npm ci`: the registry this project uses
# serves only Linux builds of platform packages (rollup, esbuild), so the lock file cannot
# list the other platforms' optional packages, and `npm ci` refuses a lock without them.
pwa/node_modules/.installed: pwa/package.json pwa/package-lock.json
	cd pwa && npm install --no-audit --no-fund
	touch $@

# The build only when a file it is made from changed: `make test` builds it, and the `make run`
# that tests/e2e/test_run_command.py starts found nothing to do but built it all again
# (tsc twice and Vite: 70 % of that test's CPU time).
PWA_SOURCES := $(shell find pwa/src pwa/public -type f) $(wildcard pwa/*.json pwa/*.ts pwa/*.html) \
	pwa/scripts/precompress.mjs
# `bundle` is the build without its type check: `make test` and `make check` run tsc in
# `npm run check` anyway, and `make run` needs none.
pwa/dist/index.html: pwa/node_modules/.installed $(PWA_SOURCES)
	cd pwa && npm run bundle

pwa: pwa/dist/index.html

db: install
	mkdir -p instance
	$(FLASK) db upgrade

# Starts the app on http://127.0.0.1:$(PORT) with demo data and prints the demo logins.
run: install pwa db fonts bench-deps
	@test -s instance/demo-password || $(PY) -c "import secrets; print(secrets.token_urlsafe(9))" > instance/demo-password
	@DEMO_PASSWORD=$$(cat instance/demo-password) $(FLASK) demo
	@$(FLASK) identity dev-provider --port $(IDP_PORT) & trap 'kill $$!' EXIT; \
	$(PY) -m server.identity.dev_provider --wait --port $(IDP_PORT) && \
	STAFF_OIDC_ISSUER=http://127.0.0.1:$(IDP_PORT) STAFF_OIDC_CLIENT_ID=trivsel-staff \
	STAFF_OIDC_CLIENT_SECRET=dev-only-not-secret \
	STAFF_ROLES=trivsel-familieindgang=family_unit,trivsel-paedagog=educator,trivsel-ppr=psychologist,trivsel-admin=admin \
	PARENT_OIDC_ISSUER=http://127.0.0.1:$(IDP_PORT) PARENT_OIDC_CLIENT_ID=trivsel-parents \
	PARENT_OIDC_CLIENT_SECRET=dev-only-not-secret \
	PUBLIC_URL=$${PUBLIC_URL:-http://127.0.0.1:$(PORT)} $(VENV)/bin/gunicorn --config gunicorn.conf.py --bind 127.0.0.1:$(PORT) 'server:create_app()'

# Lint, formatting and types of the Python code: the same in make test, check and lint.
PY_CHECKS := $(VENV)/bin/ruff check server sync tests bench && \
	$(VENV)/bin/ruff format --check server sync tests bench && $(VENV)/bin/mypy

# The test lanes are described in docs/developing.md ("The test loop").
PYTEST := $(PY) -m pytest -q -n 2 --dist loadgroup
QUICK_LANE := -m "not browser and not slow and not attack"

# The lint, type and PWA checks run beside pytest, not before it: they use one core at a time
# (mypy, tsc, ESLint) while pytest's two workers fill the rest; before it, they held pytest
# back by their whole time (half a minute to two on this machine, by its load). Their output
# goes to a file, printed whole after pytest's, so the two never interleave; the target fails
# when either does. $(1): the pytest command line, $(2): the aim in seconds.
define BESIDE_PYTEST
	@start=$$SECONDS; checks=$$(mktemp); \
	( $(PY_CHECKS) && cd pwa && npm run check ) > $$checks 2>&1 & pid=$$!; \
	$(1); tests=$$?; \
	wait $$pid; checked=$$?; \
	echo "== ruff, mypy and the PWA's checks (tsc, ESLint, Vitest): $$( ((checked)) && echo FAILED || echo passed) =="; \
	cat $$checks; rm -f $$checks; \
	echo "== pytest and the checks took $$((SECONDS - start)) s (aim: $(2) s) =="; \
	exit $$((tests || checked))
endef

# Runs every check: ruff, mypy, pytest (server, sync, browser tests) and the PWA's own checks,
# all on SQLite, the property tests at their full budget (tests/budget.py). The slowest tests
# are listed at the end, so the loop's cost stays in sight.
test: install pwa browsers fonts bench-deps
	$(call BESIDE_PYTEST,$(PYTEST) --durations=25,360)

# The inner loop while working: the same lint, types and PWA checks, and every test that needs
# neither Chromium nor a long run (browser: tests/browser/, marked by tests/conftest.py; slow:
# the gunicorn, restore and e2e modules), nor the attack suite (tests/attack/, by folder: 509
# of the 1,359 tests left, gunicorn per module and way in, the fuzzers and the properties over
# every document, about half of this lane's pytest time), the property tests on a small
# budget (TRIVSEL_QUICK, tests/budget.py). Builds no PWA. `make test` before committing.
check: install pwa/node_modules/.installed fonts bench-deps
	$(call BESIDE_PYTEST,TRIVSEL_QUICK=1 $(PYTEST) $(QUICK_LANE) --durations=15,120)

# tests/durations.json, each module's longest test, by which tests/conftest.py hands the
# longest to the xdist workers first: after adding or speeding up a slow test (a stale file
# only orders less well; nothing fails).
durations: install pwa browsers fonts bench-deps
	$(PYTEST) --record-durations

# Line coverage of server/ and sync/ ([tool.coverage] in pyproject.toml) in the tests' own
# processes (not inside the gunicorn they start): of everything `make test` runs, or with
# LANE=check of what `make check` runs, at its budget.
coverage: install pwa browsers fonts bench-deps
	$(if $(filter check,$(LANE)),TRIVSEL_QUICK=1 $(PYTEST) $(QUICK_LANE),$(PYTEST)) \
		--cov --cov-report=term:skip-covered

# Chromium for tests/browser/; for the WebKit lane (tests/webkit/) Debian's WebKitGTK driver,
# a virtual X display, and the GObject bindings its small browser (webkit_browser.py) runs on.
WEBKIT_DEBS := webkit2gtk-driver xvfb gir1.2-webkit2-4.1 python3-gi
browsers:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)
	@dpkg -s $(WEBKIT_DEBS) >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(WEBKIT_DEBS) >/dev/null)

# What the PDFs are made with (server/reports/pdf_kit.py): their font (PDF_FONT_DIR; DejaVu Sans
# draws Greek, Cyrillic, Hebrew and Arabic too), and Debian's Pango, HarfBuzz's subsetter and
# fontconfig, which WeasyPrint (a pip package) loads at run time; poppler-utils' pdftotext
# reads the PDFs' text in reading order in the tests (tests/server/test_documents.py).
DOCUMENT_DEBS := fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libfontconfig1 poppler-utils
fonts:
	@dpkg -s $(DOCUMENT_DEBS) >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DOCUMENT_DEBS) >/dev/null)

# The tablet's contract (pwa/src/contract/contract.gen.ts) from the server's schemas: run it
# after changing a schema (tests/server/test_contract.py fails until you do).
contract: install
	$(FLASK) contract

lint: install pwa/node_modules/.installed
	$(PY_CHECKS)
	cd pwa && npm run lint

clean:
	rm -rf $(VENV) pwa/node_modules pwa/dist

# Tesseract with Danish: the server reads the notes of board photos with it
# (server/photos/note_reading.py), and so do the board-photo benchmarks; and handwriting fonts
# for the generated board photos the tests and benchmarks use (bench/legibility_board.py).
BENCH_DEBS := tesseract-ocr tesseract-ocr-dan fonts-dkg-handwriting fonts-breip fonts-femkeklaver
bench-deps:
	@dpkg -s $(BENCH_DEBS) >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BENCH_DEBS) >/dev/null)

# Prints every benchmark's figures with the aims beside them: sync (SQLite, and PostgreSQL when
# installed), the tablet app in Chromium, board photo legibility, parents' reports; see bench/.
bench: install pwa browsers bench-deps
	$(PY) -m bench

# Longer runs than make test gives them:
# - the tablet's real store and sync engine against the real server
#   (tests/e2e/test_tablet_properties.py; FUZZ_RUNS/FUZZ_SECONDS to change);
# - the attack suites: schemathesis over the API document (150 cases per operation and user,
#   five users) and the access property (60 random worlds), both random. The fuzzer prints its
#   seed with any failure (FUZZ_SEED=<n> make fuzz repeats it; the property test prints
#   Hypothesis' own --hypothesis-seed). FUZZ_EXAMPLES and ACCESS_WORLDS change the budget;
#   the texts every PDF must print (120 examples; PDF_TEXT_EXAMPLES).
fuzz: install pwa
	FUZZ_RUNS=$${FUZZ_RUNS:-400} FUZZ_SECONDS=$${FUZZ_SECONDS:-1800} $(PY) -m pytest -q -s tests/e2e/test_tablet_properties.py
	TRIVSEL_FUZZ=1 $(PY) -m pytest -q -n 2 --dist loadgroup -p no:cacheprovider \
		tests/attack/test_api_fuzz.py tests/attack/test_access_property.py \
		tests/attack/test_pdf_any_text.py
