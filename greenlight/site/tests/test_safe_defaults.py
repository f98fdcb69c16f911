"""Safe defaults: the platform's own error pages without internals (JSON under /api/), the
security headers, HSTS behind the TLS proxy, no inline script, static files without DEBUG."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def test_a_404_names_no_url_pattern_and_is_chinese(client, db):
    response = client.get("/no/such/page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "未找到" in body and "urlpatterns" not in body and "api/v1/" not in body
    assert response["X-Request-ID"] in body


@override_settings(ROOT_URLCONF="greenlight.site.tests.boom_urls")
def test_a_500_shows_no_internals(db):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "服务器错误" in body or "出错" in body
    assert "DATABASE_URL" not in body and "Traceback" not in body and "secret" not in body


def test_an_api_500_is_json_without_traceback(client_for, world, monkeypatch):
    from greenlight.accounts import models

    def fail(self, user):
        raise RuntimeError("SECRET_KEY=abc")

    monkeypatch.setattr(models.DepartmentQuerySet, "visible_to", fail)
    client = client_for(world.users.coordinator)
    client.raise_request_exception = False
    response = client.get("/api/v1/departments")
    assert response.status_code == 500
    body = response.json()
    assert body["request_id"] == response["X-Request-ID"]
    assert "SECRET_KEY" not in response.content.decode() and "Traceback" not in str(body)
    assert body["detail"].startswith("服务器错误")


def test_api_404_and_403_are_json(client_for, world):
    client = client_for(world.users.company)
    assert client.get("/api/v1/no-such-thing").status_code == 404


def test_security_headers_on_every_answer(client, db):
    response = client.get("/login/")
    csp = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert script_src.strip() == "'self'"
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_hsts_is_sent_when_the_tls_proxy_says_https(client, db):
    assert "Strict-Transport-Security" not in client.get("/login/")
    behind_tls = client.get("/login/", HTTP_X_FORWARDED_PROTO="https")
    assert behind_tls["Strict-Transport-Security"].startswith("max-age=31536000")


def test_no_template_has_an_inline_script_or_handler():
    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)
    found = []
    for path in (ROOT / "greenlight").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if inline.search(text) or handler.search(text):
            found.append(str(path.relative_to(ROOT)))
    assert not found, found


def test_static_files_are_served_without_debug(client, db):
    assert not settings.DEBUG
    response = client.get("/static/js/app.js")
    assert response.status_code == 200
    assert b"data-autosubmit" in b"".join(response.streaming_content)


def test_check_deploy_is_clean():
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp", "GREENLIGHT_VAR_DIR": str(ROOT / "var")},
    )
    assert result.returncode == 0, result.stdout + result.stderr
