"""The database goes away (issue 15): pages answer 503 with the platform's own Chinese page, the
API a JSON 503, /healthz names the dependency that is down; none names host, port or database;
the platform recovers without a restart.

A real outage, not a mock: a fresh interpreter connects to a working database, then its
connection settings are pointed at a closed port (PostgreSQL) or a path that cannot exist
(SQLite), then back. A subprocess, because the test run's own connection holds the test
database inside a transaction.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = r"""
import json, sys
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import setup_test_environment

setup_test_environment()
client = Client(raise_request_exception=False)
client.cookies["sessionid"] = "a-session-the-database-must-be-asked-about"
good = dict(connection.settings_dict)


def ask():
    out = {}
    for url, headers in [
        ("/healthz", {}),
        ("/", {}),
        ("/projects/", {}),
        ("/api/v1/projects", {}),
        ("/api/v1/me", {"HTTP_AUTHORIZATION": "Bearer gl_not-a-token"}),
    ]:
        r = client.get(url, **headers)
        out[url] = [r.status_code, r.headers.get("Content-Type", ""), r.content.decode()]
    return out


before = client.get("/healthz").status_code
connection.close()
connection.settings_dict.update(json.loads(sys.argv[1]))
down = ask()
connection.close()
connection.settings_dict.clear()
connection.settings_dict.update(good)
after = client.get("/healthz")
print(json.dumps({"before": before, "down": down, "after": [after.status_code, after.json()]}))
"""


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _setup(tmp_path) -> tuple[dict, dict, list[str]]:
    """The environment of a working database, the settings that break it, and the words that
    would tell its whereabouts."""
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "outage-test-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ",
        "ALLOWED_HOSTS": "testserver",
        "GREENLIGHT_VAR_DIR": str(tmp_path / "var"),
    }
    if db["ENGINE"].endswith("postgresql"):
        host, port = db.get("HOST") or "127.0.0.1", str(db.get("PORT") or 5432)
        env["DATABASE_URL"] = f"postgres://{db.get('USER') or 'postgres'}@{host}:{port}/postgres"
        closed = _closed_port()
        return env, {"PORT": closed}, [host, str(closed), "postgres://", "5432"]
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'ok.sqlite3'}"
    missing = tmp_path / "no-such-directory" / "greenlight-data.sqlite3"
    return env, {"NAME": str(missing)}, ["no-such-directory", "greenlight-data", "sqlite"]


def test_database_down_is_503_without_whereabouts_and_recovers(tmp_path):
    # given a platform whose database worked a moment ago
    env, broken, secrets = _setup(tmp_path)
    # when the database refuses connections, and then comes back
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(broken)],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "greenlight.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    # then every answer was a 503 telling nothing of the database's whereabouts
    assert result["before"] == 200
    for url, (status, content_type, body) in result["down"].items():
        assert status == 503, f"{url}: {status} {body[:300]}"
        for word in secrets:
            assert word not in body, f"{url} names {word!r}: {body[:300]}"
        assert "Traceback" not in body and "OperationalError" not in body, body[:300]
        if url.startswith("/api/") or url == "/healthz":
            assert content_type.startswith("application/json"), url
        else:
            assert "服务暂时不可用" in body, body[:300]
    health = json.loads(result["down"]["/healthz"][2])
    assert health["checks"]["database"] == "unavailable"
    api = json.loads(result["down"]["/api/v1/projects"][2])
    assert api["detail"][0]["code"] == "unavailable"
    # and the next request, with the database back, is served without a restart
    assert result["after"] == [200, {"status": "ok", "checks": {"database": "ok", "media": "ok"}}]


@pytest.mark.django_db
def test_healthz_is_ok_with_the_database_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "media": "ok"}
