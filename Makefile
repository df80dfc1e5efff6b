# The two commands a newcomer needs are `make run` and `make test` (see README.md).
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export FLASK_APP := forum

.PHONY: run test install install-test browser lint migrate vendor-govuk clean audit bench-load

$(VENV)/.installed: setup.cfg
	python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[test,redis]'
	touch $@

install: $(VENV)/.installed

## Set up and run the forum on SQLite with demo content at http://127.0.0.1:5000, with a job worker beside it
## (email goes to files in instance/mail/). Ctrl+C stops both.
run: install
	$(VENV)/bin/flask --app forum db upgrade
	$(VENV)/bin/flask --app forum seed-demo
	$(VENV)/bin/flask --app forum jobs worker & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  $(VENV)/bin/flask --app forum run --debug

## Set up and run every test: lint, import layers, the suite on SQLite and PostgreSQL, browser tests in Chromium.
## The suite runs in PYTEST_WORKERS processes (pytest-xdist; 2 pays best on 2 cores, 0 runs in this process);
## PYTEST_ARGS goes last, e.g. make test PYTEST_ARGS="tests/groups -k invite"; the 15 slowest tests are listed at the end.
PYTEST_WORKERS ?= 2
test: install browser
	$(VENV)/bin/ruff check forum tests $(wildcard bench)
	$(VENV)/bin/lint-imports
	.ci/with-postgres $(VENV)/bin/pytest -p no:cacheprovider -n $(PYTEST_WORKERS) --durations=15 $(PYTEST_ARGS)

## Debian's Chromium for the browser tests (Playwright cannot download its own here)
browser:
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || \
	  (echo "Install Chromium: apt-get install chromium" >&2; exit 1)

lint: install
	$(VENV)/bin/ruff check forum tests $(wildcard bench)
	$(VENV)/bin/lint-imports

## Known vulnerabilities in every installed package (pip-audit asks PyPI's and OSV's advisory databases, so it
## needs to reach them: it is not part of `make test`, which must pass offline).
audit: install
	$(PIP) install --quiet pip-audit
	$(VENV)/bin/pip-audit --strict --progress-spinner off

## The load benchmark (bench/load.py): 200,000 posts on SQLite and PostgreSQL against a Flask hello world.
bench-load: install
	.ci/with-postgres sh -c 'BENCH_POSTGRES_URL=$$TEST_DATABASE_URL $(PY) bench/load.py $(BENCH_ARGS)'

migrate: install
	$(VENV)/bin/flask --app forum db upgrade

vendor-govuk:
	rm -rf /tmp/govuk-vendor && mkdir -p /tmp/govuk-vendor
	cd /tmp/govuk-vendor && npm pack govuk-frontend@6.3.0 >/dev/null && tar xzf govuk-frontend-6.3.0.tgz
	sed -e 's/@font-face{[^}]*}//g' -e 's/font-family:GDS Transport,arial,sans-serif/font-family:arial,sans-serif/g' \
	  -e 's/font-family:GDS Transport/font-family:arial,sans-serif/g' \
	  /tmp/govuk-vendor/package/dist/govuk/govuk-frontend.min.css > static/govuk/govuk-frontend.min.css
	cp /tmp/govuk-vendor/package/dist/govuk/govuk-frontend.min.js static/govuk/

clean:
	rm -rf $(VENV) instance/forum.sqlite*
