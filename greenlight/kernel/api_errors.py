"""Pydantic validation errors made readable: field path and a reason in the user's language."""

from __future__ import annotations

from django.utils.translation import gettext as _

_MESSAGES = {
    "missing": lambda e: _("this field is required"),
    "greater_than_equal": lambda e: (
        _("must be at least %(ge)s") % {"ge": e.get("ctx", {}).get("ge")}
    ),
    "greater_than": lambda e: _("must be greater than %(gt)s") % {"gt": e.get("ctx", {}).get("gt")},
    "less_than_equal": lambda e: _("must be at most %(le)s") % {"le": e.get("ctx", {}).get("le")},
    "string_too_long": lambda e: (
        _("at most %(n)s characters") % {"n": e.get("ctx", {}).get("max_length")}
    ),
    "string_too_short": lambda e: (
        _("at least %(n)s characters") % {"n": e.get("ctx", {}).get("min_length")}
    ),
    "int_parsing": lambda e: _("must be a whole number"),
    "int_type": lambda e: _("must be a whole number"),
    "decimal_parsing": lambda e: _("must be a number"),
    "decimal_type": lambda e: _("must be a number"),
    "float_parsing": lambda e: _("must be a number"),
    "date_from_datetime_parsing": lambda e: _("must be a date in the form YYYY-MM-DD"),
    "date_parsing": lambda e: _("must be a date in the form YYYY-MM-DD"),
    "datetime_parsing": lambda e: _("must be a date and time in ISO 8601 form"),
    "bool_parsing": lambda e: _("must be true or false"),
    "enum": lambda e: _("must be one of %(expected)s") % {"expected": _choices(e)},
    "literal_error": lambda e: _("must be one of %(expected)s") % {"expected": _choices(e)},
    "json_invalid": lambda e: _("the body is not valid JSON"),
    "model_attributes_type": lambda e: _("the body must be a JSON object"),
    "dict_type": lambda e: _("must be a JSON object"),
    "list_type": lambda e: _("must be a list"),
    "string_type": lambda e: _("must be text"),
    "string_pattern_mismatch": lambda e: (
        _("does not have the expected form %(pattern)s")
        % {"pattern": e.get("ctx", {}).get("pattern")}
    ),
    "extra_forbidden": lambda e: _("unknown field"),
}


def _choices(err: dict) -> str:
    """pydantic's list of the allowed values ("'a', 'b' or 'c'") with its "or" translated."""
    expected = str(err.get("ctx", {}).get("expected", ""))
    first, sep, last = expected.rpartition(" or ")
    if not sep:
        return expected
    return _("%(first)s or %(last)s") % {"first": first, "last": last}


def translate_errors(errors: list[dict]) -> list[dict]:
    """Each error as {"loc", "msg", "type"}; the location drops ninja's "body"/"query" wrapper."""
    out = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ())]
        if loc and loc[0] in {"body", "query", "path"}:
            loc = loc[1:]
        if len(loc) > 1 and loc[0] == "payload":
            loc = loc[1:]
        kind = err.get("type", "")
        maker = _MESSAGES.get(kind)
        msg = maker(err) if maker else err.get("msg", _("invalid value"))
        out.append({"loc": loc, "msg": str(msg), "type": kind})
    return out
