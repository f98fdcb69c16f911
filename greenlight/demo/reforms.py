"""The demo's re-optimization register (再优化): the documents each unit reviewed, the problems
found in them and the catalog changes that fixed them.

The register is drawn first, as plain data (`plan`), from the catalog itself: each matter's
department reviews the matter's own rules and guides and finds, or does not find, problems in
them; a problem of a committed limit longer than similar matters' is fixed by cutting that
matter's limit on the day the item is done. The approval simulation reads the limit in force on
each day from the same plan (`LimitPlan.limit_on`), and `build` then writes the register and the
cuts through `reforms.services`, at their dates. How many documents, items, immediate fixes and
units there are is whatever the draws give.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from greenlight.accounts.models import Department, Region, User
from greenlight.catalog.models import Matter
from greenlight.kernel.roles import Role
from greenlight.reforms import services
from greenlight.reforms.choices import DocumentKind, ItemKind, ItemStatus

TZ = ZoneInfo("Asia/Shanghai")
# The district's task force (工程建设项目审批制度改革专班) began on 2021-11-01; its review of the
# rules ran on from there, most findings in the first year, fewer since.
REVIEW_FROM = date(2021, 11, 15)

DOC_PATTERNS = [
    ("《宝安区{t}办理规程》", DocumentKind.WORKFLOW),
    ("《关于进一步优化{t}工作的通知》", DocumentKind.POLICY),
    ("《{t}审批服务指南》", DocumentKind.WORKFLOW),
    ("《{t}申请材料清单》", DocumentKind.REGULATION),
]
# (problem, fix, what it changes in the catalog)
FINDINGS = [
    ("{t}要求重复提交已由其他部门核发的材料", "取消重复材料，改为部门间共享核验", None),
    ("{t}承诺时限长于同类事项", "压缩承诺时限", "limit"),
    ("{t}须待前置事项办结后方可受理", "改为容缺受理、并联办理", None),
    ("{t}现场踏勘与专家评审串联进行", "踏勘与评审同步开展", None),
    ("{t}办理结果纸质送达，耗时较长", "推行电子证照，结果即时推送", None),
    ("{t}内部审核层级过多", "精简审核层级，实行一审一核", None),
]
# Units other than the approval departments whose own documents the task force reviewed.
OTHER_UNITS = [
    (
        "区政务服务数据管理局",
        "政务服务事项办事指南编制",
        "办事指南要素不统一，企业难以一次备齐材料",
    ),
    ("区司法局", "行政审批中介服务事项清单", "中介服务事项未列明收费依据和服务时限"),
    ("区财政局", "政府投资项目资金拨付", "资金拨付须逐级审签，周期较长"),
    ("区应急管理局", "建设项目安全设施“三同时”审查", "安全条件审查与设计审查分别进行"),
    ("区人防办", "人防工程易地建设费征收", "易地建设费缴纳与施工许可串联办理"),
    ("区气象局", "防雷装置设计审核", "防雷设计审核未纳入联合审图"),
    ("区城市管理和综合执法局", "余泥渣土受纳备案", "受纳备案须现场办理"),
    ("区建筑工务署", "政府投资项目代建管理", "代建项目前期手续委托环节过多"),
    ("区工业和信息化局", "工业项目准入评估", "准入评估与用地出让条件拟定串联"),
    ("区市场监督管理局", "特种设备安装告知", "告知材料与施工许可重复"),
]


def _at(day: date, hour: int = 16) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TZ)


@dataclass
class PlannedItem:
    document: str
    document_kind: str
    unit: str
    department_kind: str | None
    finding: str
    kind: str
    found: date
    due: date
    done_on: date | None
    matter: str | None = None  # the matter the item is about (code)
    limit: int | None = None  # the committed limit it sets, on `done_on`


@dataclass
class LimitPlan:
    """The register as drawn, and what it does to the committed limits over time."""

    items: list[PlannedItem] = field(default_factory=list)
    # every reviewed document, with or without findings: (title, kind, department kind, unit)
    documents: list[tuple[str, str, str | None, str]] = field(default_factory=list)
    # matter code -> [(day the new limit applies from, limit)], in date order
    cuts: dict[str, list[tuple[date, int]]] = field(default_factory=dict)

    def limit_on(self, code: str, day: date, default: int) -> int:
        """The committed limit of `code` in force on `day` (`default` before any cut)."""
        limit = default
        for since, new in self.cuts.get(code, ()):
            if since <= day:
                limit = new
        return limit


def plan(*, matters: list[tuple[str, str, str, int, str]], today: date, seed: int) -> LimitPlan:
    """Draw the register from the catalog's matters `(code, name, department kind, committed
    limit, unit)` and the other units; deterministic for `seed` and `today`."""
    rng = random.Random(seed * 7 + 91)
    out = LimitPlan()
    limits = {code: limit for code, _, _, limit, _ in matters}
    cut: set[str] = set()
    last = today - timedelta(days=1)

    def dates(immediate: bool) -> tuple[date, date, date | None]:
        span = max(0, (last - REVIEW_FROM).days)
        found = REVIEW_FROM + timedelta(days=int(span * rng.random() ** 2))
        due = found + timedelta(days=30 if immediate else rng.randint(60, 240))
        took = rng.randint(3, 28) if immediate else rng.randint(40, 300)
        done = found + timedelta(days=took)
        return found, due, (done if done <= last else None)

    for code, name, dept, _, _ in matters:
        for pattern, doc_kind in rng.sample(DOC_PATTERNS, rng.randint(1, 3)):
            title = pattern.format(t=name)
            out.documents.append((title, doc_kind, dept, ""))
            for problem, fix, change in rng.sample(FINDINGS, rng.choice([0, 1, 1, 1, 2])):
                immediate = change is None and rng.random() < 0.35
                found, due, done = dates(immediate)
                if found > last:
                    continue
                item = PlannedItem(
                    document=title,
                    document_kind=doc_kind,
                    unit="",
                    department_kind=dept,
                    finding=problem.format(t=name) + "；" + fix,
                    kind=ItemKind.IMMEDIATE if immediate else ItemKind.RECTIFY,
                    found=found,
                    due=due,
                    done_on=done,
                    matter=code,
                )
                if change == "limit" and limits[code] > 2 and code not in cut:
                    cut.add(code)  # one cut per matter: a second would come from a new rule
                    new = max(1, int(limits[code] * rng.uniform(0.5, 0.85)))
                    word = "工作日" if _unit(matters, code) == "workday" else "日"
                    item.finding = (
                        problem.format(t=name)
                        + f"；承诺时限由{limits[code]}个{word}压缩至{new}个{word}"
                    )
                    item.limit, limits[code] = new, new
                out.items.append(item)
    for unit, topic, problem in OTHER_UNITS:
        if rng.random() < 0.2:
            continue  # not every unit's documents gave a finding
        pattern, doc_kind = rng.choice(DOC_PATTERNS)
        out.documents.append((pattern.format(t=topic), doc_kind, None, unit))
        immediate = rng.random() < 0.4
        found, due, done = dates(immediate)
        if found > last:
            continue
        out.items.append(
            PlannedItem(
                document=pattern.format(t=topic),
                document_kind=doc_kind,
                unit=unit,
                department_kind=None,
                finding=problem,
                kind=ItemKind.IMMEDIATE if immediate else ItemKind.RECTIFY,
                found=found,
                due=due,
                done_on=done,
            )
        )
    out.items.sort(key=lambda i: (i.found, i.document, i.finding))
    for item in sorted(out.items, key=lambda i: (i.done_on or date.max, i.found)):
        if item.limit is not None and item.done_on is not None:
            out.cuts.setdefault(item.matter, []).append(
                (item.done_on + timedelta(days=1), item.limit)
            )
    return out


def _unit(matters, code: str) -> str:
    return next(u for c, _, _, _, u in matters if c == code)


def catalog_matters() -> list[tuple[str, str, str, int, str]]:
    return list(
        Matter.objects.order_by("code").values_list(
            "code", "name", "department_kind", "committed_limit", "committed_unit"
        )
    )


def build(*, today: date, register: LimitPlan, stdout=None) -> dict:
    """Write the drawn register through `reforms.services`, in the order things happened: each
    document as reviewed, each item as found, each limit cut on the day its item was done."""
    region = Region.objects.get(code="440306")
    coord = User.objects.filter(role=Role.COORDINATOR, region=region).order_by("id").first()
    depts = {d.kind: d for d in Department.objects.filter(region=region)}
    matters = {m.code: m for m in Matter.objects.all()}
    for title, kind, dept_kind, unit in register.documents:
        dept = depts.get(dept_kind) if dept_kind else None
        services.review_document(
            region=region, title=title, kind=kind, unit=dept.name if dept else unit, actor=coord
        )
    made = []
    for p in register.items:
        dept = depts.get(p.department_kind) if p.department_kind else None
        unit = dept.name if dept else p.unit
        done = p.done_on is not None
        item = services.create_item(
            region=region,
            data={
                "document": p.document,
                "document_kind": p.document_kind,
                "finding": p.finding,
                "kind": p.kind,
                "owner_department": dept.pk if dept else None,
                "owner_unit": unit,
                "due": p.due,
                "status": ItemStatus.DONE if done else ItemStatus.IN_PROGRESS,
                "evidence": f"已印发{p.document[:-1]}（修订）》" if done else "",
                "done_on": p.done_on,
            },
            actor=coord,
        )
        made.append((p, item))
    cuts = 0
    for p, item in sorted(made, key=lambda pi: (pi[0].done_on or date.max, pi[1].number)):
        if p.limit is None or p.done_on is None:
            continue
        matter = matters[p.matter]
        services.change_limit(
            item=item,
            matter=matter,
            limit=p.limit,
            unit=matter.committed_unit,
            actor=coord,
            at=_at(p.done_on),
        )
        matter.refresh_from_db()
        cuts += 1
    units = {item.owner_unit for _, item in made}
    counts = {
        "documents": len(register.documents),
        "items": len(made),
        "units": len(units),
        "limit_cuts": cuts,
    }
    if stdout:
        stdout.write(f"reforms: {counts}\n")
    return counts
