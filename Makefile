# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# uv installs exactly what uv.lock names; it lives in a venv of its own, pinned here.
UV_VERSION := 0.13.9
UV := .uv/bin/uv
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install lock demo serve test lint format bench clean

$(UV):
	$(PYTHON) -m venv .uv
	.uv/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(STAMP): pyproject.toml uv.lock | $(UV)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --quiet --locked --extra dev --python $(PYTHON)
	touch $(STAMP)

install: $(STAMP)

# Resolve the newest versions pyproject.toml allows into uv.lock; commit both.
lock: $(UV)
	$(UV) lock --upgrade --python $(PYTHON)

# HOST and PORT also make the links in the demo's emails point at this server.
demo: install
	$(BIN)/python manage.py migrate --noinput
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python manage.py seed_demo
	HOST=$(HOST) PORT=$(PORT) BIN=$(BIN) ./scripts/serve-demo

# PYTEST_ARGS adds options, e.g. CI's coverage floor.
test: install
	$(BIN)/python -m pytest -n $${PYTEST_WORKERS:-auto} --dist loadgroup $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python -m bench $(NAME)

clean:
	rm -rf $(VENV) .uv staticfiles .pytest_cache .ruff_cache test-artifacts
