# Interlude: `make run` serves the whole platform on the embedded default; `make test` runs the tests.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test bench rabbitmq record-elasticsearch translations clean

install: $(STAMP)

$(STAMP): pyproject.toml deploy/dev/ensure-system-packages.sh
	@bash deploy/dev/ensure-system-packages.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	@touch $(STAMP)

run: install
	$(BIN)/interlude run

rabbitmq:
	@bash deploy/dev/ensure-rabbitmq.sh

# Two pytest processes side by side, one per core (deploy/dev/test.sh says how the tree is split);
# `$(BIN)/python -m pytest` alone runs the same tests one after another.
test: install rabbitmq
	@PYTHON=$(BIN)/python bash deploy/dev/test.sh

# Records the search conformance tests against a real Elasticsearch 9 server, for their replay in
# `make test` (tests/elasticsearch_recordings.py); e.g. after `docker compose up -d elasticsearch`.
record-elasticsearch: install
	@test -n "$(ELASTICSEARCH_URL)" || { echo "Set ELASTICSEARCH_URL to an Elasticsearch 9 server, e.g. ELASTICSEARCH_URL=http://127.0.0.1:9200 after docker compose up -d elasticsearch" >&2; exit 2; }
	INTERLUDE_RECORD_ELASTICSEARCH=1 $(BIN)/python -m pytest -q tests/conformance/test_search.py -k TestElasticsearchSearch
	@echo "Recordings in tests/recordings/elasticsearch/: commit them; make test replays them."

# The web app's UI wording (domain messages) and the client portal's (domain portal, templates/portal):
# extract it, update each locale's catalogue, compile the .mo files (committed).
translations: install
	cd gateway/web && ../../$(BIN)/pybabel extract -F babel.cfg -k _ -k gettext -k ngettext:1,2 --no-location --sort-output -o translations/messages.pot . \
	  && ../../$(BIN)/pybabel update -i translations/messages.pot -d translations \
	  && ../../$(BIN)/pybabel compile -d translations \
	  && ../../$(BIN)/pybabel extract -F babel-portal.cfg -k _ -k N_ -k gettext -k ngettext:1,2 --no-location --sort-output -o translations/portal.pot templates/portal ../portal_pages.py \
	  && ../../$(BIN)/pybabel update -D portal -i translations/portal.pot -d translations \
	  && ../../$(BIN)/pybabel compile -D portal -d translations

bench: install rabbitmq
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
