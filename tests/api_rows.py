"""The API's lists as ninja's validated path would answer them, to compare the plain-row path
(kernel/rows.py) against: each object through the response schema's `model_validate` and
`model_dump`, rendered by ninja's encoder."""

from __future__ import annotations

import json

from django.test import RequestFactory
from ninja.responses import NinjaJSONEncoder

from greenlight.accounts.models import ApiToken


def bearer(user) -> dict:
    """The Authorization header of a fresh token of the user."""
    _, raw = ApiToken.issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def validated(schema, objects, *, user) -> list[dict]:
    request = RequestFactory().get("/")
    request.user = user
    context = {"request": request, "response_status": 200}
    return [schema.model_validate(o, context=context).model_dump(context=context) for o in objects]


def as_ninja_renders(data) -> bytes:
    return json.dumps(data, cls=NinjaJSONEncoder).encode()
