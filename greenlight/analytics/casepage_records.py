"""The case page's records: the seed's figures (`SEED`), one computed figure (`Figure`) and
what a figure reads (`Scope`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenlight.catalog.models import Template

# The task force was set up on 2021-11-01: the case's period runs from then.
CASE_START = date(2021, 11, 1)
DEFAULT_DAYS = 70


@dataclass(frozen=True)
class Seed:
    """A figure as the case states it, and the sentence it comes from."""

    figure: str
    sentence: str
    value: float | None = None
    before: float | None = None


SEED = {
    "template_days": Seed(
        _("141 days → 90 days"),
        "如优化危险边坡审批流程，将审批时限从141天压缩至90天。",
        90,
        141,
    ),
    "eia_separate": Seed(
        _("about 2 months"),
        "战略性新兴产业项目环评与排污许可审批时限由原来2个月左右的时间压缩为11个工作日",
    ),
    "eia_joint": Seed(
        _("11 working days"),
        "战略性新兴产业项目环评与排污许可审批时限由原来2个月左右的时间压缩为11个工作日",
        11,
    ),
    "batch_starts": Seed(
        _("122 projects"),
        "2022年10月实施起至12月，全区70天内促成122个项目新开工，占全年新开工项目数的47.3%",
        122,
    ),
    "batch_share": Seed(
        "47.3%",
        "2022年10月实施起至12月，全区70天内促成122个项目新开工，占全年新开工项目数的47.3%",
        47.3,
    ),
    "year_starts": Seed("—", ""),
    "starts_target": Seed("—", ""),
    "projects_served": Seed(_("about 850"), "专班运行以来，直接服务工程建设项目约850个", 850),
    "approvals_handled": Seed("—", ""),
    "tickets_handled": Seed("—", ""),
    "matters_and_problems": Seed(
        _("about 1,640"), "成功协调办理审批事项及处置阻滞障碍性问题约1640个", 1640
    ),
    "reform_units": Seed("31", "共组织31个单位，梳理政策、法规和工作流程83件", 31),
    "reform_documents": Seed("83", "共组织31个单位，梳理政策、法规和工作流程83件", 83),
    "reform_items": Seed("91", "归纳整理需优化事项91项，其中立行立改26项，整改优化63项", 91),
    "reform_immediate": Seed("26", "其中立行立改26项", 26),
    "reform_rectify": Seed("63", "整改优化63项", 63),
    "days_saved": Seed(_("300+ days"), "压缩办事时间300余天", 300),
    "days_saved_weighted": Seed("—", ""),
}


@dataclass(frozen=True)
class Figure:
    """One line of the case page: the seed's figure beside the platform's computation."""

    key: str
    label: str
    seed: str  # the figure as the case states it
    seed_text: str  # the case's sentence it comes from ("" when the case states none)
    value: float | int | None  # None: the data yields no figure (无数据)
    unit: str
    definition: str
    cases: QuerySet | None = field(default=None, compare=False, repr=False)
    link: str = ""
    before: float | int | None = None  # the "before" of a before → after figure
    n: int | None = None  # how many cases the figure was computed from
    seed_value: float | None = None
    seed_before: float | None = None

    @property
    def has_data(self) -> bool:
        return self.value is not None


def make(key: str, label, *, value, unit, definition, cases=None, before=None, n=None) -> Figure:
    """A figure with its seed counterpart looked up by key."""
    seed = SEED[key]
    return Figure(
        key=key,
        label=str(label),
        seed=str(seed.figure),
        seed_text=seed.sentence,
        value=value,
        unit=str(unit),
        definition=str(definition),
        cases=cases,
        before=before,
        n=n,
        seed_value=seed.value,
        seed_before=seed.before,
    )


@dataclass(frozen=True)
class Scope:
    """What a figure reads: the district (and below), the period (both days included), the
    window N of the five-step starts, the template compared, and whose share."""

    region: object
    start: date
    end: date
    days: int = DEFAULT_DAYS
    template: str = ""
    user: object = None

    @property
    def lo(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def hi(self) -> datetime:
        """The first moment after the period."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def of(self, qs: QuerySet, region_field: str) -> QuerySet:
        """`qs` limited to the district (and its sub-divisions) and to the user's share."""
        qs = qs.filter(**{f"{region_field}__code__startswith": self.region.prefix})
        return qs.visible_to(self.user) if self.user is not None else qs

    def in_period(self, name: str) -> dict:
        return {f"{name}__gte": self.lo, f"{name}__lt": self.hi}


def slope_template(user=None) -> Template | None:
    """The template the case's 141 → 90 compares: one named 危险边坡, else the first that
    contains the 危险边坡 matter."""
    qs = Template.objects.visible_to(user) if user is not None else Template.objects.all()
    return (
        qs.filter(name__contains="边坡").order_by("code").first()
        or qs.filter(matters__name__contains="边坡").order_by("code").first()
    )
