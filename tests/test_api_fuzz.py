"""The API fuzzed from its own OpenAPI document (issue 15), as a hostile client would: every
operation, GET and writes, for the coordinator, an approver, a company and a leader. No answer
may be a server error, and every documented answer must match its schema.

Bounded: GL_FUZZ_EXAMPLES examples per operation (default 5, each sent as all four roles), so
the whole run stays a few minutes on SQLite and on PostgreSQL. Every example runs in the test's
transaction, rolled back at the end.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from greenlight.accounts.models import ApiToken
from greenlight.wsgi import application

EXAMPLES = int(os.environ.get("GL_FUZZ_EXAMPLES", "5"))
ROLES = ("coordinator", "approver", "company", "leader")

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The real WSGI handler closes the connection after each request when it is not in
    autocommit, i.e. inside the test's transaction (PostgreSQL); Django's test client unhooks
    this signal too."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(world):
    """A bearer token per fuzzed role (the world of conftest.py: two districts, every role)."""
    return {role: ApiToken.issue(user=getattr(world.users, role))[1] for role in ROLES}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_answers_match_the_schema(case, tokens):
    for role in ROLES:
        case.call_and_validate(
            headers={"Authorization": f"Bearer {tokens[role]}"},
            checks=[not_a_server_error, response_schema_conformance],
        )


def test_the_document_is_valid_and_documents_every_error_answer():
    import jsonschema

    from greenlight.site.api import api

    document = api.get_openapi_schema()
    for component in document["components"]["schemas"].values():
        jsonschema.Draft202012Validator.check_schema(component)  # raises, naming the problem
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            statuses = {str(status) for status in operation["responses"]}
            assert {"401", "403", "404", "413", "422", "503"} <= statuses, (method, path)
    ticket_in = document["components"]["schemas"]["TicketIn"]["properties"]
    assert ticket_in["description"]["maxLength"] == 10_000
    assert "pattern" in ticket_in["title"]
