"""Demo register echoing the case: 31 units, 83 documents reviewed, 91 items found."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from greenlight.accounts.models import Department, Region, User
from greenlight.catalog.models import Matter
from greenlight.kernel.roles import Role
from greenlight.reforms import services
from greenlight.reforms.choices import DocumentKind, ItemKind, ItemStatus
from greenlight.reforms.models import ReviewedDocument

TZ = ZoneInfo("Asia/Shanghai")
OTHER_UNITS = [
    "区纪委监委",
    "区司法局",
    "区政务服务数据管理局",
    "区财政局",
    "区审计局",
    "区应急管理局",
    "区消防救援大队",
    "区人防办",
    "区气象局",
    "区文化广电旅游体育局",
    "区教育局",
    "区卫生健康局",
    "区工业和信息化局",
    "区科技创新局",
    "区市场监督管理局",
    "区城市管理和综合执法局",
    "区建筑工务署",
    "区重点区域建设推进中心",
    "新安街道办事处",
    "西乡街道办事处",
    "福永街道办事处",
    "沙井街道办事处",
    "新桥街道办事处",
]
TOPICS = [
    "建设工程规划许可",
    "施工图审查",
    "施工许可",
    "环境影响评价",
    "水土保持方案",
    "占道挖掘",
    "用地预审与选址",
    "竣工联合验收",
    "节能审查",
    "临时用地",
    "排水许可",
    "消防设计审查",
    "人防工程审批",
    "建设用地规划许可",
    "方案设计核查",
    "土地整备",
]
DOC_PATTERNS = [
    "《宝安区{t}办理规程》",
    "《关于进一步优化{t}工作的通知》",
    "《{t}审批服务指南》",
    "《{t}申请材料清单》",
]
FINDINGS = [
    ("{t}要求重复提交已由其他部门核发的材料", "取消重复材料，改为部门间共享核验"),
    ("{t}承诺时限长于同类事项", "压缩承诺时限并纳入并联审批"),
    ("{t}须待前置事项办结后方可受理", "改为容缺受理、并联办理"),
    ("{t}现场踏勘与专家评审串联进行", "踏勘与评审同步开展"),
    ("{t}办理结果纸质送达，耗时较长", "推行电子证照，结果即时推送"),
    ("{t}内部审核层级过多", "精简审核层级，实行一审一核"),
]
LIMIT_CUTS = [("EC-01", 12), ("HS-01", 8), ("HS-02", 8), ("PL-06", 8), ("TR-01", 7), ("WA-01", 5)]


def _at(day: date) -> datetime:
    return datetime.combine(day, time(16), tzinfo=TZ)


def build(*, today: date, stdout=None) -> dict:
    """Create the register and a few catalog changes through it (deterministic for `today`)."""
    rng = random.Random(91_26_63)
    region = Region.objects.get(code="440306")
    coord = User.objects.filter(role=Role.COORDINATOR, region=region).order_by("id").first()
    depts = list(Department.objects.filter(region=region))
    units = [d.name for d in depts] + OTHER_UNITS  # 8 + 23 = 31
    docs = []
    for i in range(83):
        topic = TOPICS[i % len(TOPICS)]
        title = DOC_PATTERNS[(i // len(TOPICS)) % len(DOC_PATTERNS)].format(t=topic)
        if i >= len(TOPICS) * len(DOC_PATTERNS):
            title = title.replace("》", f"（{i}）》")
        kind = [DocumentKind.POLICY, DocumentKind.REGULATION, DocumentKind.WORKFLOW][i % 3]
        docs.append(
            services.review_document(
                region=region, title=title, kind=kind, unit=units[i % len(units)], actor=coord
            )
        )
    items = []
    start = today - timedelta(days=300)
    for n in range(91):
        doc = docs[n % len(docs)] if n < 83 else docs[rng.randrange(len(docs))]
        topic = next(t for t in TOPICS if t in doc.title)
        problem, fix = FINDINGS[n % len(FINDINGS)]
        immediate = n < 26
        dept = depts[n % len(depts)] if n % 3 != 2 else None
        unit = dept.name if dept else OTHER_UNITS[n % len(OTHER_UNITS)]
        due = start + timedelta(days=30 if immediate else rng.randint(60, 240))
        done = immediate or n < 26 + 63
        items.append(
            services.create_item(
                region=region,
                data={
                    "document": doc.title,
                    "finding": problem.format(t=topic) + "；" + fix,
                    "kind": ItemKind.IMMEDIATE if immediate else ItemKind.RECTIFY,
                    "owner_department": dept.pk if dept else None,
                    "owner_unit": unit,
                    "due": due,
                    "status": ItemStatus.DONE if done else ItemStatus.IN_PROGRESS,
                    "evidence": f"已印发《关于优化{topic}的通知》" if done else "",
                    "done_on": min(due, today) if done else None,
                },
                actor=coord,
            )
        )
    limit_items = [i for i in items if "承诺时限" in i.finding]
    for (code, limit), item in zip(LIMIT_CUTS, limit_items, strict=False):
        matter = Matter.objects.filter(code=code).first()
        if matter and matter.committed_limit > limit:
            services.change_limit(
                item=item,
                matter=matter,
                limit=limit,
                unit=matter.committed_unit,
                actor=coord,
                at=_at(item.done_on or today),
            )
    # The 环评 + 排污许可 bundle keeps the catalog's 11 working days: the case's own figure, which
    # the demo's joint cases are measured against (no reform item of the demo is about it).
    counts = {
        "units": len(units),
        "documents": ReviewedDocument.objects.filter(region=region).count(),
        "items": len(items),
    }
    if stdout:
        stdout.write(f"reforms: {counts}\n")
    return counts
