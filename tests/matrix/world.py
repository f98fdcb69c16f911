"""The matrix's world: the demo district (宝安区 with a few 南山区 projects), topped up so that
南山区 and a second 宝安 company own objects of every kind, with ids that name their model.

* Every model's ids start at its own multiple of `ID_STRIDE`, so an id that a route answers
  for belongs to exactly one model (a route cannot "find" an object of another model that
  happens to share the number).
* Every project, ticket and candidate carries a marker (`ZZP<id>Z`, …) in its name, so that a
  response can be checked for the names of rows the user may not see.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.utils import timezone

from greenlight.accounts.models import ApiToken, Department, Organization, Region, User
from greenlight.approvals import acts, commitments, gaps
from greenlight.approvals import services as approval_services
from greenlight.approvals.models import Approval, MissingMaterial
from greenlight.catalog import notices
from greenlight.demo import district
from greenlight.exchange import services as exchange_services
from greenlight.kernel.roles import Role
from greenlight.notifications import services as notify_services
from greenlight.pipeline import decisions as pipeline_decisions
from greenlight.pipeline import services as pipeline_services
from greenlight.pipeline.choices import FactorKind
from greenlight.pipeline.models import Candidate
from greenlight.plans import editing as plan_editing
from greenlight.plans import services as plan_services
from greenlight.projects.models import Project
from greenlight.reforms import services as reform_services
from greenlight.reviews import services as review_services
from greenlight.reviews.models import Batch
from greenlight.supervision import services as supervision
from greenlight.tickets import services as ticket_services
from greenlight.tickets.models import Ticket

PROJECTS = 14  # the demo's 宝安 projects; 南山区 gets its minimum of 3
ID_STRIDE = 1_000_000
MISSING_ID = 999_000_000  # above every model's range: an id no row of any model has
MISSING_SLUG = "zz-no-such-object"
PDF = b"%PDF-1.4\n% isolation matrix\n"

# Models whose rows carry a name marker: the field it goes into, its prefix, the row's region.
MARKED = {
    Project: ("name", "ZZP", "region__code"),
    Ticket: ("title", "ZZT", "project__region__code"),
    Candidate: ("name", "ZZC", "region__code"),
}
MARKER = re.compile(rb"(?:%s)[0-9]+Z" % b"|".join(p.encode() for _f, p, _r in MARKED.values()))


def marker(model, pk: int) -> str:
    return f"{MARKED[model][1]}{pk}Z"


@dataclass
class World:
    today: date
    baoan: Region
    nanshan: Region
    users: dict[str, User]  # matrix role -> user
    org1: Organization
    org2: Organization

    def user(self, role: str) -> User | None:
        return self.users.get(role)


# -- ids ---------------------------------------------------------------------------------------


def _id_models() -> list[type[models.Model]]:
    return sorted(
        (
            m
            for m in apps.get_models()
            if m.__module__.startswith("greenlight.")
            and isinstance(m._meta.pk, models.AutoField | models.BigAutoField)
        ),
        key=lambda m: m._meta.label,
    )


def offset_ids() -> None:
    """Start each greenlight model's ids at (its index + 1) * ID_STRIDE."""
    ranked = _id_models()
    assert (len(ranked) + 1) * ID_STRIDE < MISSING_ID, "MISSING_ID must lie above every range"
    with connection.cursor() as cursor:
        for i, model in enumerate(ranked):
            table, start = model._meta.db_table, (i + 1) * ID_STRIDE
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), %s, false)",
                    [connection.ops.quote_name(table), model._meta.pk.column, start],
                )
            elif connection.vendor == "sqlite":
                cursor.execute(
                    "UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [start - 1, table]
                )
                if cursor.rowcount == 0:
                    cursor.execute(
                        "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)",
                        [table, start - 1],
                    )
            else:  # pragma: no cover - the suite runs on SQLite and PostgreSQL
                raise AssertionError(f"no id offsets for {connection.vendor}")


def check_ids() -> None:
    """Every row of a model lies in the model's own id range."""
    for i, model in enumerate(_id_models()):
        low, high = (i + 1) * ID_STRIDE, (i + 2) * ID_STRIDE
        stray = model._default_manager.exclude(pk__gte=low, pk__lt=high).count()
        assert stray == 0, f"{stray} rows of {model._meta.label} outside [{low}, {high})"


# -- the world ---------------------------------------------------------------------------------


def build(today: date) -> World:
    offset_ids()
    district.build(today=today, projects=PROJECTS, stdout=io.StringIO())
    baoan = Region.objects.get(code="440306")
    nanshan = Region.objects.get(code="440305")
    users = {u.username: u for u in User.objects.all()}
    org1 = users["company1"].organization
    # The second 宝安 company: the owner of the demo's second major project.
    org2 = (
        Project.objects.filter(region=baoan, is_major=True)
        .exclude(owner=org1)
        .order_by("pk")
        .first()
        .owner
    )
    company2 = User.objects.create(
        username="company2", role=Role.COMPANY, region=baoan, organization=org2
    )
    ns_org = Project.objects.filter(region=nanshan).order_by("pk").first().owner
    ns_company = User.objects.create(
        username="ns_company", role=Role.COMPANY, region=nanshan, organization=ns_org
    )
    ns_eco = Department.objects.filter(region=nanshan).order_by("pk").first()
    ns_approver = User.objects.create(
        username="ns_approver", role=Role.APPROVER, region=nanshan, department=ns_eco
    )
    world = World(
        today=today,
        baoan=baoan,
        nanshan=nanshan,
        org1=org1,
        org2=org2,
        users={
            "coordinator": users["coordinator"],
            "approver": users["approver"],
            "company": users["company1"],
            "company_other": company2,
            "leader": users["leader"],
            "supervisor": users["supervisor"],
            "admin": users["admin"],
            "province": users["province"],
            "other_district": users["ns_coordinator"],
            "other_district_company": ns_company,
            "other_district_approver": ns_approver,
        },
    )
    _baoan_extras(world)
    for user in (world.users["company"], ns_company):  # tokens to list and revoke
        ApiToken.issue(user=user, name="matrix")
    _tenant_rows(world, world.users["coordinator"], owner=org2, reporter=company2)
    _tenant_rows(world, world.users["other_district"], owner=ns_org, reporter=ns_company)
    _calendar_change(world)
    for staff in (world.users["coordinator"], world.users["other_district"]):
        _exchange_run(staff)
    _mark_names()
    check_ids()
    return world


def _calendar_change(world: World) -> None:
    """The next year's notice entered by the administrator: a change (and its moves) to open."""
    year = world.today.year + 1
    notices.enter(
        year=year,
        holidays=[notices.Holiday(date(year, 1, 1), date(year, 1, 1), "元旦")],
        makeup_days=[],
        actor=world.users["admin"],
    )


def _exchange_run(staff: User) -> None:
    """An exchange run of the district with a failed row (a project code of no project)."""
    project = Project.objects.filter(region=staff.region).order_by("pk").first()
    data = (
        "GCDM,SPSXBM,SPSXSLBM\n"
        f"{project.code},NO-SUCH-MATTER,MATRIX-{staff.region.code}-1\n"
        f"{staff.region.code}-NO-PROJECT,NO-SUCH-MATTER,MATRIX-{staff.region.code}-2\n"
    ).encode()
    run = exchange_services.import_file(data=data, name="matrix.csv", actor=staff)
    assert run.failed == 2


def _open(rows):
    """The first row that still takes supervision notices."""
    return next(row for row in rows if row.supervision_open)


def _gap(approvals, company) -> None:
    """容缺受理 on one of company1's approvals, unless the demo's histories gave it one (they
    fall where its approvals are running today): submitted by the owner, accepted with the
    matter's last material missing by its department, through the services."""
    if MissingMaterial.objects.filter(approval__in=approvals, supplied_at__isnull=True).exists():
        return
    able = approvals.filter(matter__accept_with_gaps=True)
    a = able.filter(status="submitted").first()
    if a is None:
        a = able.filter(status="not_started").first()
        approval_services.move(approval=a, action="submit", actor=company)
        a.refresh_from_db()
    approver = User.objects.filter(role=Role.APPROVER, department=a.department).first()
    gaps.accept(approval=a, actor=approver, missing=[(a.matter.materials[-1], None)])


def _own_ticket(own, company: User) -> Ticket:
    """An open ticket of company1: the demo's where one of its projects met a blocker still
    running (the demo's tickets arise from blockers only), else one it reports itself."""
    rows = Ticket.objects.filter(project__in=own).order_by("pk")
    ticket = next((t for t in rows if t.supervision_open), None)
    if ticket is None:
        ticket = ticket_services.report(
            actor=company, project=own.first(), title="施工临时用电报装进度缓慢", category="site"
        )
    return ticket


def _resolved_ticket(own, company: User, coordinator: User) -> None:
    """A resolved ticket of company1 to confirm or reopen: the demo's where a blocker of its
    projects ended, else one it reports that the lead department answers and resolves."""
    if Ticket.objects.filter(project__in=own, status="resolved").exists():
        return
    ticket = ticket_services.report(
        actor=company, project=own.first(), title="施工围挡占道审批未办", category="site"
    )
    lead = Department.objects.filter(region=coordinator.region).order_by("pk").first()
    ticket_services.assign(ticket=ticket, actor=coordinator, lead=lead)
    approver = User.objects.filter(role=Role.APPROVER, department=lead).order_by("pk").first()
    ticket_services.resolve(ticket=ticket, actor=approver, text="已协调办结。")


def _baoan_extras(world: World) -> None:
    """What the demo leaves out for company1: a plan version, a file, notices, messages."""
    coordinator, company = world.users["coordinator"], world.users["company"]
    own = Project.objects.filter(owner=world.org1).order_by("pk")
    major = own.filter(is_major=True).first()
    _plan_version(major, coordinator, world.today)
    ticket = _own_ticket(own, company)
    _resolved_ticket(own, company, coordinator)
    ticket_services.attach(ticket=ticket, actor=company, uploads=[_pdf()])
    approvals = Approval.objects.filter(project__in=own).order_by("pk")
    supervision.issue_notice(subject=_open(approvals), text="请加快办理", actor=coordinator)
    _decide_with_file(approvals.filter(matter__commitment_based=False), company)
    _commit_with_file(approvals, company)
    _gap(approvals, company)  # after the decisions: a grant waits for its gaps
    if ticket.lead_department is None:
        lead = Department.objects.filter(region=world.baoan).first()
        ticket_services.assign(ticket=ticket, actor=coordinator, lead=lead)
    supervision.issue_notice(subject=ticket, text="请限时反馈", actor=coordinator)
    for user in (coordinator, company):
        notify_services.notify(
            users=[user],
            event="notice_issued",
            key=f"matrix:{user.pk}",
            title="矩阵测试消息",
            url="/projects/",
            region=world.baoan,
        )


def _tenant_rows(world: World, staff: User, *, owner: Organization, reporter: User) -> None:
    """Rows of every kind for another tenant: 南山区 (staff = its coordinator) or the second
    宝安 company (staff = the 宝安 coordinator, who acts on the company's behalf)."""
    region = staff.region
    year = world.today.year
    projects = list(Project.objects.filter(owner=owner).order_by("pk"))
    project = projects[0]
    if not project.is_major:
        project.is_major = True
        project.save(update_fields=["is_major"])
    _plan_version(project, staff, world.today)
    ticket = ticket_services.report(
        actor=reporter, project=project, title="施工临时用电报装进度缓慢", category="site"
    )
    ticket_services.attach(ticket=ticket, actor=reporter, uploads=[_pdf()])
    cand = pipeline_services.propose_candidate(
        data={
            "name": "智能制造产业园",
            "owner": owner.pk,
            "category": "social_industry",
            "industry": "manufacturing",
            "investment": 30000,
            "funding": "company",
            "energy_need": 100,
        },
        actor=staff,
        year=year,
    )
    if region == world.baoan:
        return  # 宝安区 has its batches, notices, targets, pools and register already
    ticket_services.assign(
        ticket=ticket, actor=staff, lead=Department.objects.filter(region=region).first()
    )
    supervision.issue_notice(subject=ticket, text="请限时反馈", actor=staff)
    approvals = Approval.objects.filter(project__region=region).order_by("pk")
    supervision.issue_notice(subject=_open(approvals), text="请加快办理", actor=staff)
    batch_projects = Project.objects.filter(
        region=region, approvals__status__in=["not_started", "consulting", "submitted", "accepted"]
    ).distinct()
    batch = review_services.issue_batch(
        title="南山区联审联批清单", projects=list(batch_projects), actor=staff
    )
    meeting = review_services.schedule_meeting(
        batch=batch,
        starts_at=timezone.now() + timedelta(days=3),
        place="南山区政府会议室",
        actor=staff,
    )
    supervision.issue_notice(subject=batch, text="请按时提交意见", actor=staff)
    first = batch.items.order_by("pk").first()
    involved = review_services.batch_department_ids(batch)
    review_services.record_minutes(
        meeting=meeting,
        actor=staff,
        summary="会议纪要",
        decisions=[{"project_id": first.project_id, "outcome": "proceed", "text": ""}],
        action_items=[
            {
                "project_id": first.project_id,
                "department_id": involved[0],
                "text": "限时反馈",
                "due": world.today + timedelta(days=10),
            }
        ],
    )
    pipeline_services.issue_target(
        region=region, year=year, actor=staff, investment=1000, new_starts=2, generated=3
    )
    pipeline_services.issue_target(
        region=region,
        year=year,
        actor=staff,
        investment=100,
        new_starts=1,
        generated=1,
        department=Department.objects.filter(region=region).first(),
    )
    pipeline_services.set_pool(
        region=region, year=year, kind=FactorKind.ENERGY, amount_value=1000, actor=staff
    )
    pipeline_services.run_matching(region=region, year=year, actor=staff)
    pipeline_decisions.decide(
        region=region,
        year=year,
        title="南山区谋划生成决策会议",
        held_on=world.today - timedelta(days=1),
        minutes="同意开工",
        decisions=[(cand, "start", "")],
        actor=staff,
    )
    reform_services.create_item(
        region=region,
        data={
            "document": "《南山区社会投资项目审批流程》",
            "finding": "承诺时限过长",
            "kind": "immediate",
            "owner_department": Department.objects.filter(region=region).first().pk,
            "due": world.today + timedelta(days=30),
        },
        actor=staff,
    )
    notify_services.notify(
        users=[staff, reporter],
        event="notice_issued",
        key=f"matrix:{region.code}",
        title="南山区消息",
        url="/projects/",
        region=region,
    )
    assert Batch.objects.filter(region=region).exists()


def _decide_with_file(approvals, company: User) -> None:
    """A decision with its signed file (the demo's past decisions have none), so the file,
    correction and register routes have an object the owner side opens."""
    open_ = approvals.filter(status="not_started", supervision_notices__isnull=True)
    approval = approvals.filter(status="accepted").first() or open_.first()
    approver = User.objects.filter(role=Role.APPROVER, department=approval.department).first()
    if approval.status == "not_started":
        approval_services.transition(approval=approval, action="submit", actor=company)
        approval_services.transition(approval=approval, action="accept", actor=approver)
    today = timezone.localdate()
    months = approval.matter.validity_months
    acts.decide(
        approval=approval,
        outcome="approved",
        act=acts.ActInput(
            number="深宝矩阵〔2026〕1号",
            issued_on=today,
            valid_until=today + timedelta(days=20) if months else None,
            handler_name="矩阵",
            document=_pdf(),
        ),
        actor=approver,
    )


def _commit_with_file(approvals, company: User) -> None:
    """A signed commitment with its file (the demo's have none), for the file route."""
    approval = (
        approvals.filter(matter__commitment_based=True)
        .exclude(status__in=["approved", "rejected", "not_accepted", "withdrawn"])
        .first()
    )
    commitments.record_commitment(
        approval=approval,
        actor=company,
        text="本单位承诺所提交材料真实有效。",
        signed_by="矩阵",
        signed_on=timezone.localdate(),
        document=_pdf(),
    )


def _plan_version(project: Project, actor: User, today: date) -> None:
    document = plan_editing.initial_document(project, user=actor, today=today)
    plan_services.save_version(project=project, document=document, actor=actor, note="矩阵")


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("材料.pdf", PDF, content_type="application/pdf")


def _mark_names() -> None:
    for model, (name, prefix, _region) in MARKED.items():
        model.objects.update(
            **{
                name: Concat(
                    F(name),
                    Value(f" {prefix}"),
                    models.functions.Cast("pk", models.CharField()),
                    Value("Z"),
                )
            }
        )
