# `make run`: the app at http://127.0.0.1:8000 (SQLite under ./var, default framework loaded).
# `make test`: lint, types, layers and the test suite on SQLite and PostgreSQL.
PYTHON ?= python3
VENV := .venv
APP := $(VENV)/.installed-app
DEV := $(VENV)/.installed-dev
# Front-end assets come from npm (package-lock.json) at install time, never committed.
HTMX := src/rtwcomp/site/static/vendor/htmx.min.js

.PHONY: run demo screenshots test install clean messages

run: $(APP)
	@if [ "$$RTWCOMP_DEMO" = 1 ]; then $(VENV)/bin/rtwcomp demo --if-missing; \
	else $(VENV)/bin/rtwcomp demo --offer; fi
	$(VENV)/bin/rtwcomp serve

# `make demo`: the worked example of the 2010 study (`rtwcomp demo --remove` deletes it).
demo: $(APP)
	$(VENV)/bin/rtwcomp demo

# `make screenshots`: walk docs/tutorial.md in the browser test and retake its pictures.
screenshots: $(DEV)
	RTWCOMP_SCREENSHOTS=docs/tutorial RTWCOMP_DATA_DIR=$$(mktemp -d) \
		$(VENV)/bin/pytest -q tests/browser/test_tutorial.py

test: $(DEV)
	scripts/test

install: $(APP)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip

# The app alone; the tests also need the dev tools and the semantic extra (sentence
# embeddings on the CPU; torch comes as a CPU wheel).
$(APP): pyproject.toml $(HTMX) | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -e .
	touch $@

$(DEV): pyproject.toml $(HTMX) | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -e '.[dev,semantic]'
	touch $@ $(APP)

$(HTMX): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	install -D -m 0644 node_modules/htmx.org/dist/htmx.min.js $@

messages: $(DEV)
	cd src/rtwcomp && ../../$(VENV)/bin/django-admin makemessages -l fr --no-obsolete --settings=rtwcomp.site.settings
	cd src/rtwcomp && ../../$(VENV)/bin/django-admin compilemessages --settings=rtwcomp.site.settings

clean:
	rm -rf $(VENV) build *.egg-info node_modules $(dir $(HTMX))
