# A newcomer's commands: `make demo` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Two workers: the suite's time halves on the 2-core machines this project runs on.
PYTEST_ARGS ?= -n 2

.PHONY: install demo test test-postgres lint bench messages run clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

# axe-core (npm) is only used by the browser tests, which skip without it.
install: $(STAMP)
	@test -d node_modules || { command -v npm >/dev/null && npm ci --no-audit --no-fund --silent; } \
		|| echo "npm not found: the accessibility checks of the browser tests will be skipped"

demo: install
	MIM_DEBUG=true $(BIN)/mim migrate --no-input -v0
	MIM_DEBUG=true $(BIN)/mim demo --reset
	@echo "Open http://127.0.0.1:8000 and log in with a demo login above; for the second step,"
	@echo "run in another terminal: MIM_DEBUG=true .venv/bin/mim otp-code USERNAME"
	MIM_DEBUG=true $(BIN)/mim runserver 127.0.0.1:8000

run: install
	MIM_DEBUG=true $(BIN)/mim runserver 127.0.0.1:8000

test: install
	$(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

# The same suite on PostgreSQL (the production database).
test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} \
		$(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	MIM_DEBUG=true $(BIN)/mim makemigrations --check --dry-run -v1
	$(BIN)/python tools/i18n.py check

messages: install
	$(BIN)/python tools/i18n.py extract
	$(BIN)/python tools/i18n.py compile

bench: install
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) *.egg-info
