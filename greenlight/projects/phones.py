"""Contact phone numbers of the project record: a mainland mobile or a landline."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

# 11-digit mobile numbers (13x-19x), optionally written with +86 / 86 in front.
MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")
# Area code 0 + 2-3 digits, a 7-8 digit number, an optional extension: 0755-29991234-801.
LANDLINE = re.compile(r"^(?:\+?86-?)?(0\d{2,3})-?(\d{7,8})(?:(?:-|转|ext\.?)(\d{1,6}))?$")


def normalize_phone(value: str) -> tuple[str, str | None]:
    """(the number as stored, None) when `value` is a mainland mobile or landline number, else
    (value, the reason). Spaces, dots and brackets are ignored; landlines keep 0755-29991234."""
    raw = (value or "").strip()
    compact = re.sub(r"[\s.()（）]", "", raw).replace("－", "-").replace("—", "-")
    digits_only = compact.replace("-", "")
    m = MOBILE.match(digits_only)
    if m:
        return m.group(1), None
    m = LANDLINE.match(compact)
    if m and len(m.group(1)) + len(m.group(2)) in (10, 11, 12):
        number = f"{m.group(1)}-{m.group(2)}"
        return (f"{number}-{m.group(3)}" if m.group(3) else number), None
    return raw, _(
        "not a phone number: write a mobile number (11 digits, e.g. 13812345678) "
        "or a landline with its area code (e.g. 0755-29991234)"
    )
