# `make run`: the app at http://127.0.0.1:8000 (SQLite under ./var, default framework loaded).
# `make test`: lint, types, layers and the test suite on SQLite and PostgreSQL.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: run test install clean messages

run: $(STAMP)
	$(VENV)/bin/rtwcomp serve

test: $(STAMP)
	scripts/test

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $(STAMP)

messages: $(STAMP)
	cd src/rtwcomp && ../../$(VENV)/bin/django-admin makemessages -l fr --settings=rtwcomp.site.settings
	cd src/rtwcomp && ../../$(VENV)/bin/django-admin compilemessages --settings=rtwcomp.site.settings

clean:
	rm -rf $(VENV) build *.egg-info
