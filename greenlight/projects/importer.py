"""Registering projects from Excel: a template to download, a dry run naming each bad row (row,
column, reason) and an import of every row or none. Each row goes through the one registration
service (`services.check_registration` in the dry run, `services.create_project` on import), so
an imported project opens its approvals and is planned exactly like one registered by hand."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from greenlight.accounts.models import Organization, Region, Subdistrict
from greenlight.catalog.choices import Category
from greenlight.kernel import excel_import as xl
from greenlight.kernel.errors import DomainError, InvalidInput
from greenlight.kernel.excel_import import Column, Parsed, RowError

from . import matters, services
from .choices import ConstructionNature, FundingSource, Industry
from .codes import make_project_code
from .phones import normalize_phone

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 2000
COLUMNS = [
    Column("code", "项目代码", aliases=("project code", "code"), width=28),
    Column("name", "项目名称", aliases=("name",), width=30),
    Column("owner", "项目单位", aliases=("owner",), width=32),
    Column("category", "项目类别", aliases=("category",), width=16),
    Column("industry", "所属行业", aliases=("industry",), width=14),
    Column("construction_nature", "建设性质", aliases=("construction nature",), width=10),
    Column("location", "建设地点", aliases=("location",), width=30),
    Column("scale_content", "建设规模及内容", aliases=("scale and content",), width=40),
    Column("funding_source", "资金来源", aliases=("funding source",), width=14),
    Column("total_investment", "总投资（万元）", aliases=("总投资", "total investment"), width=14),
    Column("land_area", "用地面积（平方米）", required=False, aliases=("用地面积", "land area"),
           width=14),
    Column("subdistrict", "所属街道", required=False, aliases=("subdistrict",), width=10),
    Column("contact_name", "项目联系人", required=False, aliases=("contact",), width=10),
    Column("contact_phone", "联系电话", required=False, aliases=("phone",), width=16),
    Column("optional_matters", "可选事项", required=False, aliases=("optional matters",),
           width=16),
    Column("is_major", "重大项目", required=False, aliases=("major",), width=8),
    Column("planned_start", "计划开工日期", required=False, aliases=("planned start",), width=14),
    Column("description", "项目简介", required=False, aliases=("description",), width=40),
]  # fmt: skip
# A service error on one of these fields is shown under that column.
FIELD_COLUMN = {c.key: c.header for c in COLUMNS} | {"matters": "可选事项", "region": "项目代码"}
YES = {"是", "y", "yes", "true", "1", "重大"}
NO = {"", "否", "n", "no", "false", "0"}


def _words(choices) -> dict[str, str]:
    """Each choice by its value, its Chinese label and its English label."""
    out = {}
    for value, label in choices:
        out[str(value).lower()] = value
        for lang in ("zh-hans", "en"):
            with translation.override(lang):
                out[str(label).strip().lower()] = value
    return out


def _labels(choices) -> str:
    with translation.override("zh-hans"):
        return "、".join(str(label) for _v, label in choices)


def template(*, region=None) -> bytes:
    """The import template: the header row, an example row and a sheet of what each column takes."""
    division = region.code if region is not None else "440306"
    today = timezone.localdate()
    example_code = make_project_code(
        year=today.year, month=today.month, region_code=division, sector=4, kind=3, serial=10001
    )
    with translation.override("zh-hans"):
        example = [
            example_code,
            "新桥东智能制造产业园一期",
            "鹏鼎控股（深圳）股份有限公司",
            str(Category.SOCIAL_INDUSTRY.label),
            str(Industry.ELECTRONICS.label),
            str(ConstructionNature.NEW.label),
            "深圳市宝安区新桥街道新桥东片区",
            "新建厂房4栋及配套宿舍，总建筑面积12万平方米",
            str(FundingSource.SOCIAL.label),
            "85000",
            "52000",
            "新桥",
            "张工",
            "13812345678",
            "",
            "否",
            "2027-06-30",
            "",
        ]
        notes = [
            ["列", "填写说明"],
            ["项目代码", "GB/T 40058-2021：YYMM-RRRRRR-DD-TT-NNNNNC；RRRRRR 须为本平台已有的、"
                         "本辖区及以下的行政区划代码（如 " + division + "）"],
            ["项目单位", "单位全称或统一社会信用代码，须为本辖区已登记的项目单位"],
            ["项目类别", _labels(Category.choices)],
            ["所属行业", _labels(Industry.choices)],
            ["建设性质", _labels(ConstructionNature.choices)],
            ["资金来源", _labels(FundingSource.choices)],
            ["总投资（万元）", "数字，不得为负数"],
            ["联系电话", "手机号（如 13812345678）或带区号的固定电话（如 0755-29991234）"],
            ["可选事项", "模板中的可选事项代码，多个用、分隔：" + _optional_note()],
            ["重大项目", "是 / 否"],
            ["计划开工日期", "YYYY-MM-DD"],
            ["导入规则", "先检查全部行；任一行有误则一行都不导入。导入的项目即开通模板审批事项并生成计划。"],
        ]  # fmt: skip
    return xl.template(COLUMNS, title="项目登记", examples=[example], sheets={"填写说明": notes})


def _optional_note() -> str:
    parts = []
    for category, label in Category.choices:
        items = matters.optional_items(matters.template_for(category))
        if items:
            codes = "、".join(f"{i.matter.code}（{i.matter.name}）" for i in items)
            parts.append(f"{label}：{codes}")
    return "；".join(parts) or "—"


def check_size(size: int) -> None:
    """Refuse a file over the limit before reading it."""
    xl.check_size(size, MAX_BYTES)


def read(data: bytes, *, user) -> Parsed:
    """Read and check every row into the service's data; nothing is written."""
    out = Parsed()
    raw, out.errors = xl.read_rows(data, COLUMNS, max_rows=MAX_ROWS, max_bytes=MAX_BYTES)
    if out.errors and not raw:
        return out
    if not raw and not out.errors:
        out.errors.append(RowError(2, "", _("the file has no rows")))
    cells = _Cells(user)
    first_row: dict[str, int] = {}
    for n, r in raw:
        row = cells.row(n, r, out.errors)
        if row is None:
            continue
        code = row["data"]["code"]
        if code in first_row:
            out.errors.append(
                RowError(
                    n,
                    "项目代码",
                    _("code %(code)s is also on row %(row)s")
                    % {"code": code, "row": first_row[code]},
                )  # fmt: skip
            )
            continue
        first_row[code] = n
        out.rows.append(row)
    return out


class _Cells:
    """Turns one row's cells into the registration service's data, naming each bad cell."""

    def __init__(self, user):
        self.user = user
        self.categories = _words(Category.choices)
        self.industries = _words(Industry.choices)
        self.natures = _words(ConstructionNature.choices)
        self.fundings = _words(FundingSource.choices)
        self.owners = Organization.objects.visible_to(user)
        self.subdistricts = Subdistrict.objects.filter(region__in=Region.objects.visible_to(user))

    def row(self, n: int, r: dict, errors: list[RowError]) -> dict | None:
        before = len(errors)

        def bad(key: str, reason: str) -> None:
            errors.append(RowError(n, FIELD_COLUMN[key], reason))

        data: dict = {}
        for key in ("code", "name", "location", "scale_content"):
            value = xl.text(r.get(key))
            if not value:
                bad(key, _("this field is required"))
            data[key] = value
        for key, words in (
            ("category", self.categories),
            ("industry", self.industries),
            ("construction_nature", self.natures),
            ("funding_source", self.fundings),
        ):
            data[key] = self._choice(key, r.get(key), words, bad)
        data["owner"] = self._owner(r.get("owner"), bad)
        data["total_investment"] = _number(r.get("total_investment"), "total_investment", bad,
                                           required=True)  # fmt: skip
        data["land_area"] = _number(r.get("land_area"), "land_area", bad, required=False)
        data["subdistrict"] = self._subdistrict(r.get("subdistrict"), bad)
        data["contact_name"] = xl.text(r.get("contact_name"))
        phone = xl.text(r.get("contact_phone"))
        if phone.endswith(".0") and phone[:-2].isdigit():  # a number cell read as a float
            phone = phone[:-2]
        if phone:
            phone, reason = normalize_phone(phone)
            if reason:
                bad("contact_phone", reason)
        data["contact_phone"] = phone
        data["optional_matters"] = [
            c.strip()
            for c in xl.text(r.get("optional_matters")).replace("，", "、").replace(",", "、")
            .split("、")
            if c.strip()
        ]  # fmt: skip
        major = xl.text(r.get("is_major")).lower()
        if major not in YES | NO:
            bad("is_major", _("write 是 or 否"))
        data["is_major"] = major in YES
        data["planned_start"] = _date(r.get("planned_start"), "planned_start", bad)
        data["description"] = xl.text(r.get("description"))
        if len(errors) > before:
            return None
        return {"row": n, "data": data}

    def _choice(self, key, value, words, bad):
        text = xl.text(value)
        if not text:
            bad(key, _("this field is required"))
            return ""
        found = words.get(text.lower())
        if found is None:
            labels = {
                "category": Category.choices,
                "industry": Industry.choices,
                "construction_nature": ConstructionNature.choices,
                "funding_source": FundingSource.choices,
            }[key]
            bad(
                key, _("unknown value %(v)s (one of %(all)s)") % {"v": text, "all": _labels(labels)}
            )
            return ""
        return found

    def _owner(self, value, bad) -> int | None:
        text = xl.text(value)
        if not text:
            bad("owner", _("this field is required"))
            return None
        found = list(self.owners.filter(Q(name=text) | Q(credit_code=text.upper()))[:2])
        if len(found) == 1:
            return found[0].pk
        if found:
            bad("owner", _("several owners are called “%(name)s”: enter the credit code") % {
                "name": text})  # fmt: skip
        else:
            bad("owner", _("unknown project owner %(name)s (not registered in your region)") % {
                "name": text})  # fmt: skip
        return None

    def _subdistrict(self, value, bad) -> int | None:
        text = xl.text(value)
        if not text:
            return None
        names = {text, text.removesuffix("街道"), f"{text}街道"}
        sub = self.subdistricts.filter(name__in=names).first()
        if sub is None:
            bad("subdistrict", _("unknown subdistrict %(name)s") % {"name": text})
            return None
        return sub.pk


def _number(value, key: str, bad: Callable, *, required: bool) -> Decimal | None:
    if value is None or xl.text(value) == "":
        if required:
            bad(key, _("this field is required"))
        return None
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        bad(key, _("must be a number"))
        return None
    if number < 0:
        bad(key, _("must not be negative"))
        return None
    return number


def _date(value, key: str, bad: Callable) -> date | None:
    if value is None or xl.text(value) == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = xl.text(value).replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
    except ValueError:
        bad(key, _("not a date: write YYYY-MM-DD"))
        return None


def _service_error(n: int, exc: DomainError) -> RowError:
    name = (exc.field or "").split(".")[-1]
    return RowError(n, FIELD_COLUMN.get(name, ""), str(exc.message))


def parse(data: bytes, *, user, progress: Callable | None = None) -> Parsed:
    """The dry run: every cell checked, then every row checked by the registration service
    (code and division, owner, optional matters, departments) without writing anything. Each
    good row gets the project it would be and the matters it would open (`row["matters"]`)."""
    parsed = read(data, user=user)
    bar = progress(len(parsed.rows)) if progress and parsed.rows else None
    checked = []
    for row in parsed.rows:
        try:
            reg = services.check_registration(data=row["data"], actor=user)
        except DomainError as exc:
            parsed.errors.append(_service_error(row["row"], exc))
        else:
            row["project"] = reg.project
            row["matters"] = reg.matters
            checked.append(row)
        if bar:
            bar.advance()
    if bar:
        bar.finish()
    parsed.rows = checked
    order = {c.header: i for i, c in enumerate(COLUMNS)}
    parsed.errors.sort(key=lambda e: (e.row, order.get(e.column, -1)))
    return parsed


def commit(data: bytes, *, user, progress: Callable | None = None) -> list:
    """Register every row or none: a file with any bad row raises InvalidInput listing them.
    `progress(total)`, when given, makes the bar advanced once a row."""
    parsed = read(data, user=user)
    if not parsed.ok:
        raise _refused(parsed.errors)
    bar = progress(len(parsed.rows)) if progress else None
    projects, errors = [], []
    with transaction.atomic():
        for row in parsed.rows:
            try:
                with transaction.atomic():
                    projects.append(services.create_project(data=row["data"], actor=user))
            except DomainError as exc:
                errors.append(_service_error(row["row"], exc))
            if bar:
                bar.advance()
        if errors:
            transaction.set_rollback(True)
    if bar:
        bar.finish()
    if errors:
        raise _refused(errors)
    return projects


def _refused(errors: list[RowError]) -> InvalidInput:
    return InvalidInput(
        _("nothing was imported: %(n)s problems in the file") % {"n": len(errors)},
        field="file",
        extra={"errors": [e.__dict__ for e in errors]},
    )
