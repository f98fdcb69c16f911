# Greenlight: `make run` serves the demo district, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint format messages clean

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

# DEBUG stays off (WhiteNoise serves the static files, the secret key is generated under var/);
# cookies are not Secure-only because this serves plain http on 127.0.0.1.
run: install
	$(BIN)/greenlight migrate --noinput
	$(BIN)/greenlight demo --if-empty
	SECURE_COOKIES=$${SECURE_COOKIES:-false} $(BIN)/greenlight serve --host $(HOST) --port $(PORT)

# The whole suite on SQLite; when DATABASE_URL points at PostgreSQL, on both at once (two
# processes use the machine's cores instead of one after the other), each run's report in full.
test: install
	@case "$$DATABASE_URL" in \
	postgres*) \
	  log=$$(mktemp); \
	  echo "== on SQLite and on PostgreSQL ($$DATABASE_URL) side by side; SQLite's report follows"; \
	  (env -u DATABASE_URL $(BIN)/pytest -p no:cacheprovider >"$$log" 2>&1; echo $$? >"$$log.rc") & \
	  $(BIN)/pytest; pg=$$?; wait; \
	  echo "== the same suite on SQLite"; cat "$$log"; sq=$$(cat "$$log.rc"); rm -f "$$log" "$$log.rc"; \
	  echo "== PostgreSQL: exit $$pg; SQLite: exit $$sq"; test "$$pg" -eq 0 && test "$$sq" -eq 0 ;; \
	*) env -u DATABASE_URL $(BIN)/pytest ;; \
	esac

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check --deploy --fail-level WARNING

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install
	cd greenlight && ../$(BIN)/django-admin makemessages -l zh_Hans --no-obsolete
	cd greenlight && ../$(BIN)/django-admin compilemessages

clean:
	rm -rf var staticfiles
