"""HTTP with the configured counterparts: the 工改 system's exchange endpoint (GET and POST of
the national tables as JSON) and the 投资 platform's project record by 项目代码. Standard
library HTTP (urllib): a JSON GET and POST need nothing more; failures become DomainErrors."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.utils.translation import gettext as _

from greenlight.kernel.errors import DomainError

TIMEOUT = 30


def endpoint() -> str:
    """The 工改 exchange endpoint (EXCHANGE_URL), refused when none is configured."""
    url = getattr(settings, "EXCHANGE_URL", "")
    if not url:
        raise DomainError(_("no exchange endpoint is configured (EXCHANGE_URL)"), field="url")
    return url.rstrip("/")


def endpoint_or_blank() -> str:
    """The endpoint, or "" when none is configured (the page hides pull and push)."""
    return getattr(settings, "EXCHANGE_URL", "")


def _request(url: str, *, body: bytes | None = None, token: str = ""):
    headers = {"Accept": "application/json"}
    if body is not None:
        headers["Content-Type"] = "application/json; charset=utf-8"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            raw = response.read()
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise DomainError(
            _("the counterpart answered HTTP %(code)s") % {"code": exc.code}, field="url"
        ) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DomainError(
            _("the counterpart cannot be reached: %(error)s") % {"error": exc}, field="url"
        ) from exc
    try:
        return json.loads(raw.decode("utf-8")) if raw else {}
    except (UnicodeDecodeError, ValueError) as exc:
        raise DomainError(_("the counterpart's answer is not JSON"), field="url") from exc


def get_tables(url: str, *, region: str) -> dict:
    """GET {url}/tables?xzqhdm=…: the region's national tables."""
    query = urllib.parse.urlencode({"xzqhdm": region})
    doc = _request(f"{url}/tables?{query}", token=getattr(settings, "EXCHANGE_TOKEN", ""))
    if doc is None:
        raise DomainError(_("the counterpart has no tables at %(url)s") % {"url": url}, field="url")
    return doc


def post_tables(url: str, doc: dict) -> dict:
    """POST {url}/tables with the national tables."""
    body = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    return _request(f"{url}/tables", body=body, token=getattr(settings, "EXCHANGE_TOKEN", ""))


def investment_record(code: str) -> dict | None:
    """The 投资 platform's record of a project (INVESTMENT_URL/projects/{项目代码}); None when
    the platform does not know the code."""
    base = getattr(settings, "INVESTMENT_URL", "")
    if not base:
        raise DomainError(_("no investment platform is configured (INVESTMENT_URL)"), field="code")
    quoted = urllib.parse.quote(code, safe="")
    record = _request(f"{base.rstrip('/')}/projects/{quoted}")
    if record is not None and not isinstance(record, dict):
        raise DomainError(_("the counterpart's answer is not JSON"), field="code")
    return record
