"""A hand-built district for the case page, made through the services, whose every figure is
worked out by hand in the tests (March 2025 has no holiday; 2025-03-03 is a Monday)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from greenlight.accounts.choices import DepartmentKind
from greenlight.approvals import acts, joint, services
from greenlight.catalog.models import Bundle, Template, TemplateItem, TemplateLink
from greenlight.pipeline import services as pipeline_services
from greenlight.projects import services as project_services
from greenlight.reforms import services as reform_services
from greenlight.reviews import services as review_services
from greenlight.tickets import services as ticket_services
from tests import factories as f

TZ = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
JOINT_ACCEPTED = datetime(2025, 11, 3, 10, tzinfo=TZ)


def at(y, m, d, h=10) -> datetime:
    return datetime(y, m, d, h, tzinfo=TZ)


def _act(number: str, *, document: bool = False, on: date | None = None) -> acts.ActInput:
    return acts.ActInput(
        number=number,
        issued_on=on or timezone.localdate(),
        handler_name="经办人",
        document=SimpleUploadedFile("批复.pdf", PDF, content_type="application/pdf")
        if document
        else None,
    )


def _apart(w, project, company, matter, *, acc, dec):
    """An approval submitted, accepted and decided on its own (not a joint case)."""
    a = f.ApprovalFactory(project=project, matter=matter, department=w.eco)
    services.move(approval=a, action="submit", actor=company, at=acc - timedelta(hours=1))
    services.move(approval=a, action="accept", actor=w.users.approver, at=acc)
    acts.decide(
        approval=a,
        outcome="approved",
        act=_act(f"环{a.pk}", on=dec.date()),
        actor=w.users.approver,
        at=dec,
        need_file=False,
    )
    return a


def build(w) -> SimpleNamespace:
    """Template 危险边坡: A (5 d) → B (10 d), C (8 d) alone. 环评 EC1 + 排污许可 EC3 bundled:
    p2 and p3 handle them apart (5 + 7 and 3 + 15 working days of handling; p3's 排污许可
    three months after its 环评), p1 as one case accepted 2025-11-03.
    A batch issued 2025-10-10 lists p1, p2, p4: p1 starts that day, p2 after 70 days, p4 after
    71; p5 starts in May off any batch. One ticket of p4 resolved. Three register items, two
    changes of EC1 (15 → 12 → 10 working days) and one of B (10 → 7 days)."""
    cal_day = {"committed_unit": "day", "statutory_limit": 30, "statutory_unit": "day"}
    a = f.MatterFactory(code="SA", name="边坡勘察", committed_limit=5, **cal_day)
    b = f.MatterFactory(code="SB", name="危险边坡治理方案审查", committed_limit=10, **cal_day)
    c = f.MatterFactory(code="SC", name="边坡监测备案", committed_limit=8, **cal_day)
    template = Template.objects.create(code="slope", name="危险边坡治理", category="linear")
    for i, m in enumerate((a, b, c)):
        TemplateItem.objects.create(template=template, matter=m, position=i)
    TemplateLink.objects.create(template=template, predecessor=a, successor=b)
    eco = DepartmentKind.ECOLOGY
    ec1 = f.MatterFactory(code="EC1", name="环评审批", department_kind=eco, committed_limit=15)
    ec3 = f.MatterFactory(code="EC3", name="排污许可", department_kind=eco, committed_limit=10)
    for m in (ec1, ec3):
        m.statutory_limit = 30
        m.save()
    bundle = Bundle.objects.create(
        code="eia_permit", name="环评与排污许可联办", limit=11, unit="workday"
    )
    bundle.matters.set([ec1, ec3])

    p1, p2 = w.project1, w.project2
    p1.template = template  # the project's kind, as registration sets it
    p1.save(update_fields=["template"])
    p3 = f.ProjectFactory(owner=w.org2, name="第三个项目")
    p4 = f.ProjectFactory(owner=w.org2, name="第四个项目")
    p5 = f.ProjectFactory(owner=w.org2, name="第五个项目")
    c2 = w.users.company2
    # 环评 + 排污许可 apart, each matter's own handling: p2 03-03 → 03-10 = 5 working days and
    # 03-05 → 03-14 = 7; p3 03-03 → 03-06 = 3 and, filed in June, 06-03 → 06-24 = 15 (06-02 is
    # the 端午 holiday's last day, not counted either way)
    _apart(w, p2, c2, ec1, acc=at(2025, 3, 3), dec=at(2025, 3, 10, 16))
    _apart(w, p2, c2, ec3, acc=at(2025, 3, 5), dec=at(2025, 3, 14, 16))
    _apart(w, p3, c2, ec1, acc=at(2025, 3, 3), dec=at(2025, 3, 6, 16))
    _apart(w, p3, c2, ec3, acc=at(2025, 6, 3), dec=at(2025, 6, 24, 16))
    # only one of the two decided: not a pair
    _apart(w, p4, c2, ec1, acc=at(2025, 3, 3), dec=at(2025, 3, 4, 16))
    # another district's pair: never counted for Bao'an
    ns_eco = f.DepartmentFactory(region=w.nanshan, kind=eco, name="南山区生态环境局")
    for m in (ec1, ec3):
        f.ApprovalFactory(
            project=w.project_ns,
            matter=m,
            department=ns_eco,
            status="approved",
            accepted_at=at(2025, 3, 3),
            decided_at=at(2025, 3, 4),
        )
    # p1 as one case (一口受理): accepted 2025-11-03, decided today
    j1 = f.ApprovalFactory(project=p1, matter=ec1, department=w.eco)
    f.ApprovalFactory(project=p1, matter=ec3, department=w.eco)
    case = joint.open_case(approval=j1, actor=w.users.company)
    joint.move_case(case=case, action="submit", actor=w.users.company, at=JOINT_ACCEPTED)
    joint.move_case(case=case, action="accept", actor=w.users.approver, at=JOINT_ACCEPTED)
    for member in joint.members(case):
        joint.prepare(
            case=case,
            approval=member,
            outcome="approved",
            act=_act(f"联{member.pk}", document=True),
            actor=w.users.approver,
        )
    # the five-step batch and the starts
    batch = review_services.issue_batch(
        title="2025年第一批联审联批项目清单",
        projects=[p1, p2, p4],
        actor=w.users.coordinator,
        at=at(2025, 10, 10),
    )
    issued = date(2025, 10, 10)
    for project, start in (
        (p1, issued),
        (p2, issued + timedelta(days=70)),
        (p4, issued + timedelta(days=71)),
        (p5, date(2025, 5, 1)),
        (w.project_ns, date(2025, 11, 1)),
    ):
        actor = w.users.nanshan if project == w.project_ns else w.users.coordinator
        project_services.update_project(project=project, data={"actual_start": start}, actor=actor)
    # one blocking problem of p4, reported 06-02, resolved 06-04
    ticket = ticket_services.report(
        actor=w.users.coordinator,
        project=p4,
        title="施工临时用地协调",
        category="land",
        reported_at=at(2025, 6, 2),
        notify=False,
    )
    ticket_services.assign(ticket=ticket, actor=w.users.coordinator, lead=w.eco)
    ticket_services.resolve(ticket=ticket, actor=w.users.approver, text="已协调", at=at(2025, 6, 4))
    # the register: documents by two units, 2 immediate items and 1 to rectify
    items = [
        reform_services.create_item(
            region=w.baoan,
            data={
                "document": doc,
                "document_unit": unit,
                "finding": finding,
                "kind": kind,
                "owner_department": w.eco.pk,
                "due": "2025-06-30",
            },
            actor=w.users.coordinator,
        )
        for doc, unit, finding, kind in (
            ("《环评审批流程》", "区生态环境局", "环评承诺时限过长", "immediate"),
            ("《环评审批流程》", "区生态环境局", "环评时限仍可压缩", "immediate"),
            ("《边坡治理审批指引》", "区规划和自然资源局", "边坡方案审查时限过长", "rectify"),
        )
    ]
    coordinator = w.users.coordinator
    reform_services.change_limit(
        item=items[0], matter=ec1, limit=12, unit="workday", actor=coordinator, at=at(2025, 4, 1)
    )
    reform_services.change_limit(
        item=items[1], matter=ec1, limit=10, unit="workday", actor=coordinator, at=at(2025, 5, 6)
    )
    reform_services.change_limit(
        item=items[2], matter=b, limit=7, unit="day", actor=coordinator, at=at(2025, 5, 6)
    )
    return SimpleNamespace(
        template=template,
        bundle=bundle,
        case=case,
        batch=batch,
        ticket=ticket,
        items=items,
        ec1=ec1,
        ec3=ec3,
        b=b,
        p1=p1,
        p2=p2,
        p3=p3,
        p4=p4,
        p5=p5,
        issue_target=pipeline_services.issue_target,
    )
