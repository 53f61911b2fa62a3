# Two commands matter: `make run` (set up and start the app) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast test-browser lint format setup demo clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

setup: $(STAMP)

## Set up and run the app on http://127.0.0.1:8000 (SQLite + in-memory channel layer by default).
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v0
	INSECURE_HTTP=$${INSECURE_HTTP:-1} $(BIN)/daphne -b $(HOST) -p $(PORT) \
		--websocket-max-message-size 65536 --websocket-max-frame-size 65536 config.asgi:application

## Create the demo couple (alex@example.com / sam@example.com).
demo: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo

## Set up and run every test: lint, the main suite, then the browser suite.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -m "not browser" -p no:cacheprovider
	$(BIN)/pytest -m browser -p no:cacheprovider tests/browser

test-fast: $(STAMP)
	$(BIN)/pytest -m "not browser and not multiprocess" -x -q

test-browser: $(STAMP)
	$(BIN)/pytest -m browser tests/browser

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .test-db.sqlite3* .pytest_cache
