"""Home page, settings from the environment, languages, error pages."""

import os
import subprocess
import sys

import pytest
from django.urls import reverse

from greenlight.projects.codes import make_project_code, validate_project_code

pytestmark = pytest.mark.django_db


def test_home_needs_a_login(client, world):
    response = client.get("/")
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize(
    "role", ["coordinator", "approver", "company", "leader", "supervisor", "admin"]
)
def test_home_counts_only_the_users_share(client_for, world, role):
    response = client_for(getattr(world.users, role)).get("/")
    assert response.status_code == 200
    expected = 1 if role == "company" else 2
    assert response.context["total"] == expected


def test_english_is_available(client_for, world):
    client = client_for(world.users.coordinator)
    client.post(reverse("set_language"), {"language": "en", "next": "/projects/"})
    html = client.get("/projects/").content.decode()
    assert "Register a project" in html and 'lang="en"' in html


def test_browser_language_does_not_override_chinese(client_for, world):
    client = client_for(world.users.coordinator)
    html = client.get("/projects/", HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    assert "登记项目" in html


def test_unknown_page_is_a_friendly_404(client_for, world):
    response = client_for(world.users.coordinator).get("/projects/999999/")
    assert response.status_code == 404
    assert "未找到" in response.content.decode()


def test_healthz(client, db):
    assert client.get("/healthz").json() == {
        "status": "ok",
        "checks": {"database": "ok", "media": "ok"},
    }


def test_secret_key_is_required_without_debug(tmp_path):
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": "", "GREENLIGHT_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='greenlight.settings'; django.setup()",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_local_secret_key_is_generated_once(tmp_path):
    env = {**os.environ, "DEBUG": "true", "SECRET_KEY": "", "GREENLIGHT_VAR_DIR": str(tmp_path)}
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='greenlight.settings'; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
    first = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    second = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert first.stdout == second.stdout and len(first.stdout.strip()) > 40
    assert (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    ("code", "ok"),
    [
        ("2203-440306-04-01-123456", True),
        ("2018-440306-47-03-012345", True),  # the format before GB/T 40058-2021
        ("2213-440306-04-01-123456", False),  # month 13
        ("2203-440306-04-01-12345", False),  # too short
        ("2203440306040112345600", False),
        ("", False),
    ],
)
def test_project_code_formats(code, ok):
    assert (validate_project_code(code) is None) is ok


def test_generated_codes_are_valid():
    code = make_project_code(
        year=2026, month=11, region_code="440306", sector=47, kind=1, serial=42
    )
    assert len(code) == 24 and validate_project_code(code) is None
