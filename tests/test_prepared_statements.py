"""On PostgreSQL a statement the platform runs again and again is prepared on its connection
(parameters bound on the server, psycopg's threshold of 5 runs), so the server stops parsing and
planning it on every request; `DB_PREPARE_THRESHOLD` sets the threshold or turns it off (for a
pooler that cannot keep prepared statements), and a wrong value stops the start with its name."""

import os
import subprocess
import sys

import pytest
from django.db import connection

from greenlight.accounts.models import Region


def _options(**env) -> subprocess.CompletedProcess:
    """The default database's OPTIONS as a fresh interpreter's settings make them."""
    probe = (
        "import os\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'greenlight.settings')\n"
        "from django.conf import settings\n"
        "print(sorted(settings.DATABASES['default'].get('OPTIONS', {}).items()))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **{k: v for k, v in os.environ.items() if k != "DB_PREPARE_THRESHOLD"},
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x",
            **env,
        },
    )


def test_postgresql_binds_on_the_server_and_prepares_after_five_runs():
    out = _options()
    assert out.stdout.strip() == "[('prepare_threshold', 5), ('server_side_binding', True)]"


@pytest.mark.parametrize(("value", "threshold"), [("off", None), ("OFF", None), ("0", 0)])
def test_the_threshold_comes_from_the_environment(value, threshold):
    out = _options(DB_PREPARE_THRESHOLD=value)
    assert f"('prepare_threshold', {threshold})" in out.stdout


def test_a_wrong_threshold_stops_the_start_naming_the_variable():
    out = _options(DB_PREPARE_THRESHOLD="five")
    assert out.returncode != 0
    assert "DB_PREPARE_THRESHOLD='five': a whole number of runs, or off" in out.stderr


def test_sqlite_is_left_as_it_is():
    out = _options(DATABASE_URL="sqlite:////tmp/x.sqlite3", DB_PREPARE_THRESHOLD="five")
    assert "prepare_threshold" not in out.stdout and "server_side_binding" not in out.stdout


@pytest.mark.django_db
def test_a_statement_run_again_and_again_is_prepared_on_its_connection():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's (this run is on SQLite)")

    def prepared() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                ["%accounts_region%code%"],
            )
            return cursor.fetchone()[0]

    before = prepared()
    for code in ("440306", "440305", "440304", "440303", "440302", "440301"):
        list(Region.objects.filter(code=code))
    assert prepared() == before + 1  # one statement, whatever the value
