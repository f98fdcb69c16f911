"""Cheap API requests: a Bearer read writes the token's last use at most once a minute, and the
OpenAPI document is built and encoded once per process and language."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from ninja.responses import NinjaJSONEncoder

from greenlight.accounts.models import ApiToken
from greenlight.site.api import api

pytestmark = pytest.mark.django_db


def _writes(client, token: str, n: int) -> int:
    with CaptureQueriesContext(connection) as ctx:
        for _ in range(n):
            assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    return sum(1 for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE"))


def test_a_token_read_writes_its_last_use_once_a_minute(client, world):
    row, token = ApiToken.issue(user=world.users.coordinator)
    # five reads in a row: one write (the first use)
    assert _writes(client, token, 5) == 1
    row.refresh_from_db()
    assert row.last_used_at is not None
    # a minute later the next read records the use again
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now() - timedelta(seconds=61))
    assert _writes(client, token, 3) == 1


def test_the_openapi_document_is_built_once_per_language(client_for, world):
    with translation.override("zh-hans"):
        first = api.get_openapi_schema(path_prefix="/api/v1/")
        assert api.get_openapi_schema(path_prefix="/api/v1/") is first
    with translation.override("en"):
        english = api.get_openapi_schema(path_prefix="/api/v1/")
    assert english is not first
    # and the served document is complete
    served = client_for(world.users.coordinator).get("/api/v1/openapi.json").json()
    assert "/api/v1/projects" in served["paths"]


def test_the_served_document_is_encoded_once_and_answers_304_to_its_etag(client):
    first = client.get("/api/v1/openapi.json")
    assert first.status_code == 200 and first["Content-Type"] == "application/json"
    with translation.override("zh-hans"):
        document = api.get_openapi_schema(path_prefix="/api/v1/")
    assert first.json() == json.loads(json.dumps(document, cls=NinjaJSONEncoder))
    etag = first["ETag"]
    again = client.get("/api/v1/openapi.json")
    assert again.content is first.content  # the same bytes object: not encoded again
    cached = client.get("/api/v1/openapi.json", HTTP_IF_NONE_MATCH=etag)
    assert cached.status_code == 304 and cached.content == b"" and cached["ETag"] == etag
    for header in ("*", f'"0123", W/{etag}'):  # any tag, or the tag among others (weakly)
        assert client.get("/api/v1/openapi.json", HTTP_IF_NONE_MATCH=header).status_code == 304
    # another tag (a document from before a deployment) gets the whole document
    stale = client.get("/api/v1/openapi.json", HTTP_IF_NONE_MATCH='"0123456789abcdef"')
    assert stale.status_code == 200 and stale.content == first.content
