"""Excel intake: a template to download, a dry run naming each bad row (row, column, reason),
and an all-or-nothing commit that keeps the original report times."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlight.kernel import excel_import as xl
from greenlight.kernel.errors import InvalidInput
from greenlight.kernel.excel_import import Column, Parsed, RowError
from greenlight.kernel.roles import Role
from greenlight.notifications import services as notifications
from greenlight.notifications.choices import Event
from greenlight.projects.models import Project

from . import services
from .choices import Category, Channel

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000
COLUMNS = [
    Column("project_code", "项目代码", width=28),
    Column("title", "问题标题", width=36),
    Column("category", "问题分类", width=12),
    Column("description", "问题描述", required=False, width=50),
    Column("reported_at", "反映时间", width=20),
]
CATEGORY_WORDS = {
    "用地": Category.LAND,
    "规划": Category.PLANNING,
    "环保": Category.ENVIRONMENT,
    "资金": Category.FUNDS,
    "征拆": Category.DEMOLITION,
    "管线迁改": Category.PIPELINES,
    "施工条件": Category.SITE,
    "政策": Category.POLICY,
    "其他": Category.OTHER,
}
_STAMP = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def template() -> bytes:
    """The import template: the header row, one example row and a sheet of categories."""
    return xl.template(
        COLUMNS,
        title="问题清单",
        examples=[
            [
                "2203-440306-04-01-100001",
                "施工临时用电报装进度缓慢",
                "施工条件",
                "项目已具备开工条件，临时用电尚未接入。",
                "2026-03-02 10:30",
            ]
        ],
        sheets={
            "填写说明": [
                ["问题分类可填", "、".join(CATEGORY_WORDS)],
                ["反映时间格式", "YYYY-MM-DD HH:MM（保留原始反映时间，不得晚于导入时）"],
            ]
        },
    )


def check_size(size: int) -> None:
    """Refuse a file over the limit before reading it."""
    xl.check_size(size, MAX_BYTES)


def parse(data: bytes, *, user) -> Parsed:
    """Read and check every row into the service's data; nothing is written."""
    out = Parsed()
    raw, out.errors = xl.read_rows(data, COLUMNS, max_rows=MAX_ROWS, max_bytes=MAX_BYTES)
    if out.errors and not raw:
        return out
    codes = {xl.text(r.get("project_code")) for _n, r in raw}
    visible = {p.code: p for p in Project.objects.visible_to(user).filter(code__in=codes)}
    for n, r in raw:
        row = _row(n, r, visible, out)
        if row is not None:
            out.rows.append(row)
    if not raw and not out.errors:
        out.errors.append(RowError(2, "", _("the file has no rows")))
    return out


def _label(key: str) -> str:
    return next(c.header for c in COLUMNS if c.key == key)


def _row(n: int, r: dict, visible: dict, out: Parsed) -> dict | None:
    before = len(out.errors)
    code = xl.text(r.get("project_code"))
    title = xl.text(r.get("title"))
    word = xl.text(r.get("category"))
    if not code:
        out.errors.append(RowError(n, _label("project_code"), _("this field is required")))
    elif code not in visible:
        out.errors.append(
            RowError(n, _label("project_code"), _("unknown project code %(c)s") % {"c": code})
        )
    if not title:
        out.errors.append(RowError(n, _label("title"), _("this field is required")))
    elif len(title) > 200:
        out.errors.append(RowError(n, _label("title"), _("at most %(n)s characters") % {"n": 200}))
    category = CATEGORY_WORDS.get(word) or (word if word in Category.values else None)
    if category is None:
        out.errors.append(
            RowError(
                n,
                _label("category"),
                _("unknown category %(c)s (one of %(all)s)")
                % {"c": word or "—", "all": "、".join(CATEGORY_WORDS)},
            )
        )
    at, reason = _moment(r.get("reported_at"))
    if reason:
        out.errors.append(RowError(n, _label("reported_at"), reason))
    if len(out.errors) > before:
        return None
    return {
        "row": n,
        "project": visible[code],
        "title": title,
        "category": category,
        "description": xl.text(r.get("description")),
        "reported_at": at,
    }


def _moment(value) -> tuple[datetime | None, str]:
    if value is None or str(value).strip() == "":
        return None, _("this field is required")
    if isinstance(value, datetime):
        at = value
    elif isinstance(value, date):
        at = datetime.combine(value, time(9, 0))
    else:
        m = _STAMP.match(str(value).strip())
        if not m:
            return None, _("not a date and time: write YYYY-MM-DD HH:MM")
        try:
            at = datetime(
                int(m[1]),
                int(m[2]),
                int(m[3]),
                int(m[4] or 9),
                int(m[5] or 0),
                tzinfo=timezone.get_current_timezone(),
            )
        except ValueError:
            return None, _("not a valid date: %(v)s") % {"v": value}
    at = timezone.make_aware(at) if timezone.is_naive(at) else at
    if at > timezone.now() + timedelta(minutes=5):
        return None, _("may not be in the future")
    if at.year < 2000:
        return None, _("not a valid date: %(v)s") % {"v": value}
    return at, ""


def commit(data: bytes, *, user) -> list:
    """Import every row or none: a file with any bad row raises InvalidInput listing them."""
    parsed = parse(data, user=user)
    if not parsed.ok:
        raise InvalidInput(
            _("nothing was imported: %(n)s problems in the file") % {"n": len(parsed.errors)},
            field="file",
            extra={"errors": [e.__dict__ for e in parsed.errors]},
        )
    with transaction.atomic():
        tickets = [
            services.report(
                actor=user,
                project=r["project"],
                title=r["title"],
                category=r["category"],
                description=r["description"],
                channel=Channel.EXCEL,
                reported_at=r["reported_at"],
                notify=False,
            )
            for r in parsed.rows
        ]
        region = user.region
        notifications.notify(
            users=region.users.filter(role=Role.COORDINATOR, is_active=True) if region else [],
            event=Event.TICKET,
            key=f"ticket-import:{user.pk}:{tickets[0].pk}",
            title=_("%(n)s problems imported from Excel") % {"n": len(tickets)},
            url="/tickets/",
            region=region,
        )
    return tickets
