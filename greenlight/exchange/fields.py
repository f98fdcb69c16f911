"""Turning the values of a national row into the platform's (and back): numbers, dates, code
lists; each refusal names the national field, in the user's language."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from greenlight.catalog.choices import Category
from greenlight.kernel import validation
from greenlight.kernel.errors import InvalidInput
from greenlight.projects.choices import ConstructionNature, FundingSource, Industry

from .tables import CATEGORIES, FUNDING, NATURES

# GB/T 4754 国民经济行业分类 (门类 letter or 大类 code) -> industry; the longest prefix wins
INDUSTRY_CODES = {
    "C27": "biomedicine",
    "C39": "electronics",
    "C": "manufacturing",
    "D": "municipal",
    "E48": "transport",
    "F": "commerce",
    "G": "logistics",
    "I": "electronics",
    "K": "housing",
    "N": "water",
    "P": "education",
    "Q": "health",
}
# platform field -> the national field it comes from (to name a service's refusal)
NATIONAL = {
    "code": "XMDM",
    "name": "XMMC",
    "category": "SPLCLX",
    "industry": "GBHY",
    "construction_nature": "JSXZ",
    "funding_source": "XMZJSX",
    "total_investment": "ZTZE",
    "location": "JSDD",
    "scale_content": "JSGMJNR",
    "land_area": "YDMJ",
    "planned_start": "NKGSJ",
    "owner": "DWTYSHXYDM",
    "matter": "SPSXBM",
    "number": "PFWH",
    "title": "PFWJBT",
    "opinion": "BLYJ",
    "legal_basis": "FLYJ",
    "issued_on": "PFRQ",
    "valid_until": "PFWJYXQX",
    "handler_name": "BLR",
    "reason": "BLYJ",
}


def refuse(field: str, message: str):
    raise InvalidInput(message, field=field)


def text(values: dict, field: str, *, required: bool = False, limit: int = 4000) -> str:
    value = validation.clean_cell(str(values.get(field) or "")).strip()
    if required and not value:
        refuse(field, _("this field is required"))
    if len(value) > limit:
        refuse(field, _("at most %(n)s characters") % {"n": limit})
    return value


def number(values: dict, field: str) -> Decimal | None:
    raw = text(values, field)
    if not raw:
        return None
    try:
        value = Decimal(raw.replace(",", ""))
    except InvalidOperation:
        refuse(field, _("must be a number"))
    problem = validation.problem(value)
    if problem or value < 0 or not value.is_finite():
        refuse(field, problem or _("must not be negative"))
    return value


def day(values: dict, field: str, *, required: bool = False) -> date | None:
    raw = text(values, field, required=required)
    if not raw:
        return None
    try:
        value = date.fromisoformat(raw[:10].replace("/", "-"))
    except ValueError:
        refuse(field, _("Enter the date as YYYY-MM-DD."))
    problem = validation.date_problem(value)
    if problem:
        refuse(field, problem)
    return value


def moment(values: dict, field: str, *, required: bool = False) -> datetime | None:
    """A date or date and time, read in the platform's time zone."""
    raw = text(values, field, required=required)
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw.replace("/", "-"))
    except ValueError:
        refuse(field, _("Enter the time as YYYY-MM-DD HH:MM:SS."))
    if value.tzinfo is None:
        value = timezone.make_aware(value)
    if value > timezone.now():
        refuse(field, _("cannot be later than now"))
    return value


def noon(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time(12)))


def _choice(values: dict, field: str, choices, codes: dict) -> str | None:
    raw = text(values, field)
    if not raw:
        return None
    if raw in codes:
        return codes[raw]
    for value, label in choices.choices:
        if raw in (value, str(label)):
            return value
    allowed = "、".join(f"{k}={choices(v).label}" for k, v in codes.items())
    refuse(
        field,
        _("unknown code %(value)s; expected one of %(allowed)s")
        % {
            "value": raw,
            "allowed": allowed,
        },
    )
    return None


def industry(values: dict) -> str | None:
    raw = text(values, "GBHY").upper()
    if not raw:
        return None
    for value, label in Industry.choices:
        if raw in (value.upper(), str(label)):
            return value
    for prefix in sorted(INDUSTRY_CODES, key=len, reverse=True):
        if raw.startswith(prefix):
            return INDUSTRY_CODES[prefix]
    refuse("GBHY", _("unknown industry %(value)s (a GB/T 4754 code such as C39)") % {"value": raw})
    return None


def project_data(values: dict) -> dict:
    """The registration fields of a 项目基本信息 row (or an investment platform record); blank
    national fields are left out, so they never empty a field the platform has."""
    data = {
        "code": text(values, "XMDM", required=True, limit=24),
        "name": text(values, "XMMC", limit=200),
        "location": text(values, "JSDD", limit=200),
        "scale_content": text(values, "JSGMJNR"),
        "total_investment": number(values, "ZTZE"),
        "land_area": number(values, "YDMJ"),
        "construction_nature": _choice(values, "JSXZ", ConstructionNature, NATURES),
        "funding_source": _choice(values, "XMZJSX", FundingSource, FUNDING),
        "category": _choice(values, "SPLCLX", Category, CATEGORIES),
        "industry": industry(values),
        "planned_start": day(values, "NKGSJ"),
    }
    return {k: v for k, v in data.items() if v not in (None, "")}


def same(current, value) -> bool:
    """Whether a project's stored value already equals the row's."""
    if isinstance(current, Decimal) or isinstance(value, Decimal):
        try:
            return current is not None and Decimal(str(current)) == Decimal(str(value))
        except InvalidOperation:
            return False
    return current == value
