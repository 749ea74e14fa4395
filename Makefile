# Interlude: `make run` serves the whole platform on the embedded default; `make test` runs the tests.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test bench rabbitmq clean

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

test: install rabbitmq
	$(BIN)/python -m pytest

bench: install rabbitmq
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
