"""Validation of the national investment project code (全国投资项目在线审批监管平台 项目代码)."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

# GB/T 40058-2021: YYMM-RRRRRR-DD-TT-NNNNNC (24 characters): time code (year, month),
# division code, central guiding-department code, project type, random code, check character.
NEW_CODE = re.compile(r"^(\d{2})(\d{2})-(\d{6})-(\d{2})-(\d{2})-(\d{5})([0-9X])$")
# The format in use before the standard: a 4-digit year, e.g. 2018-440306-47-03-012345.
OLD_CODE = re.compile(r"^(19|20)\d{2}-(\d{6})-(\d{2})-(\d{2})-(\d{6})$")


def check_digit(body: str) -> int:
    """ISO 7064 MOD 11-10 check digit over the digits of `body`."""
    p = 10
    for ch in body:
        s = (p + int(ch)) % 10 or 10
        p = (s * 2) % 11
    return (11 - p) % 10


def validate_project_code(code: str) -> str | None:
    """Return None if `code` is a valid project code, else the reason (translated)."""
    code = (code or "").strip()
    if OLD_CODE.match(code):
        return None
    m = NEW_CODE.match(code)
    if m:
        month = int(m.group(2))
        if not 1 <= month <= 12:
            return str(_("month %(month)s in the code is not 01-12") % {"month": m.group(2)})
        # The check character's algorithm is not public in full; the platform that assigns
        # codes verifies it, so we check structure only and never reject a real code.
        return None
    return str(
        _(
            "expected YYMM-RRRRRR-DD-TT-NNNNNC (24 characters, e.g. 2203-440306-04-01-123456) "
            "or the older YYYY-RRRRRR-DD-TT-NNNNNN"
        )
    )


def division_code(code: str) -> str:
    """The administrative division part (RRRRRR) of a project code of either format."""
    parts = (code or "").strip().split("-")
    return parts[1] if len(parts) > 1 else ""


def make_project_code(
    *, year: int, month: int, region_code: str, sector: int, kind: int, serial: int
) -> str:
    """Build a valid 24-character project code with its check digit."""
    body = f"{year % 100:02d}{month:02d}{region_code}{sector:02d}{kind:02d}{serial:05d}"
    c = check_digit(body)
    return f"{year % 100:02d}{month:02d}-{region_code}-{sector:02d}-{kind:02d}-{serial:05d}{c}"
