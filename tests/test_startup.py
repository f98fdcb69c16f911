"""Start-up stays light: the heavy libraries load where they are used (a solve, a workbook),
not when Django sets up for a CLI command or a worker loads the URL conf."""

import subprocess
import sys

import pytest

HEAVY = ("scipy", "numpy", "openpyxl")


def _modules_after(code: str, names: tuple[str, ...] = HEAVY, *, setup: bool = True) -> set[str]:
    """Which of `names` a fresh interpreter has loaded after (Django's set-up and) `code`."""
    probe = (
        "import os, sys\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'greenlight.settings')\n"
        + ("import django\ndjango.setup()\n" if setup else "")
        + f"{code}\n"
        f"print(','.join(m for m in {names!r} if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    return {m for m in out.stdout.strip().split(",") if m}


def test_django_setup_for_a_cli_command_loads_no_heavy_library():
    assert _modules_after("") == set()


def test_the_url_conf_loads_no_heavy_library():
    assert _modules_after("from django.urls import resolve; resolve('/')") == set()


def test_django_setup_loads_neither_the_api_stack_nor_file_parsers():
    """ninja and pydantic load with the URL conf, YAML with a plan file, lunar dates with a
    provisional year: none of them when a command starts."""
    assert _modules_after("", ("ninja", "pydantic", "yaml", "lunar_python")) == set()


def test_the_platforms_commands_start_without_the_system_checks():
    """The checks load the URL conf and the whole API (~1 s) before a command's own work;
    `serve` (and Django's `check`, `migrate`) still run them."""
    from django.core.management import get_commands, load_command_class

    ours = {name: app for name, app in get_commands().items() if app.startswith("greenlight.")}
    assert {"replan", "tick", "demo", "serve"} <= set(ours)
    checked = {
        name
        for name, app in ours.items()
        if load_command_class(app, name).requires_system_checks != []
    }
    assert checked == {"serve"}


@pytest.mark.django_db
def test_the_api_docs_page_serves_the_vendored_swagger_ui(client):
    from tests.auth import verified_login
    from tests.factories import UserFactory

    verified_login(client, UserFactory())
    answer = client.get("/api/v1/docs")
    assert answer.status_code == 200, answer.status_code
    page = answer.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


def test_a_command_on_sqlite_does_not_load_the_postgresql_driver():
    """psycopg (0.14 s of CPU to import) loads with the first PostgreSQL connection only."""
    code = (
        "os.environ['DATABASE_URL'] = 'sqlite:///:memory:'\n"
        "import django\n"
        "django.setup()\n"
        "from django.db import connection\n"
        "connection.ensure_connection()"
    )
    assert _modules_after(code, ("psycopg", "psycopg_binary"), setup=False) == set()


def test_a_worker_loads_the_url_conf_as_it_starts():
    """`gunicorn greenlight.wsgi`: the first request a worker serves does not pay the URL
    conf's load (about a second)."""
    loaded = _modules_after(
        "import greenlight.wsgi", ("greenlight.site.urls", "ninja"), setup=False
    )
    assert loaded == {"greenlight.site.urls", "ninja"}
