# `make run`: the app at http://127.0.0.1:8000 (SQLite under ./var, default framework loaded).
# `make test`: lint, types, layers and the test suite on SQLite and PostgreSQL.
PYTHON ?= python3
VENV := .venv
APP := $(VENV)/.installed-app
DEV := $(VENV)/.installed-dev

.PHONY: run test install clean messages

run: $(APP)
	$(VENV)/bin/rtwcomp serve

test: $(DEV)
	scripts/test

install: $(APP)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip

# The app alone; the tests also need the dev tools and the semantic extra (sentence
# embeddings on the CPU; torch comes as a CPU wheel).
$(APP): pyproject.toml | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -e .
	touch $@

$(DEV): pyproject.toml | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -e '.[dev,semantic]'
	touch $@ $(APP)

messages: $(DEV)
	cd src/rtwcomp && ../../$(VENV)/bin/django-admin makemessages -l fr --no-obsolete --settings=rtwcomp.site.settings
	cd src/rtwcomp && ../../$(VENV)/bin/django-admin compilemessages --settings=rtwcomp.site.settings

clean:
	rm -rf $(VENV) build *.egg-info
