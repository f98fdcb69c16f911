"""Editing a form and saving it unchanged keeps every field.

Each edit form of the pages (and every change form of the admin) is opened, submitted with the
values exactly as rendered — parsed from the HTML, as a browser would send them — and the object
must come back unchanged. Dates are where this went wrong once: the browser's date input takes
ISO values only, so every date and datetime widget of the pages must render ISO.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from datetime import date, datetime
from decimal import Decimal

import pytest
from django import forms
from django.contrib import admin
from django.forms.models import model_to_dict
from django.utils import timezone, translation

import greenlight
from greenlight.kernel.roles import Role
from tests import factories as f
from tests.forms import form_data

# -- every date widget renders ISO -------------------------------------------------------------


def _page_forms():
    """Every form class of the apps' `forms` modules (the pages' forms)."""
    for info in pkgutil.walk_packages(greenlight.__path__, "greenlight."):
        if not info.name.endswith(".forms"):
            continue
        module = importlib.import_module(info.name)
        for name, cls in vars(module).items():
            if (
                inspect.isclass(cls)
                and issubclass(cls, forms.BaseForm)
                and cls.__module__ == module.__name__
            ):
                yield f"{info.name}.{name}", cls


def test_every_date_and_datetime_widget_of_the_pages_renders_iso():
    when = timezone.make_aware(datetime(2026, 12, 15, 9, 30))
    checked, wrong = [], []
    with translation.override("zh-hans"):
        for name, cls in _page_forms():
            for field_name, field in cls.base_fields.items():
                if isinstance(field, forms.DateTimeField):
                    value, iso = when, "2026-12-15T09:30"
                elif isinstance(field, forms.DateField):
                    value, iso = date(2026, 12, 15), "2026-12-15"
                else:
                    continue
                if isinstance(field.widget, forms.HiddenInput):
                    continue
                html = field.widget.render(field_name, field.prepare_value(value))
                if getattr(field.widget, "input_type", "") == "month":
                    iso = "2026-12"
                checked.append(f"{name}.{field_name}")
                if f'value="{iso}"' not in html or field.widget.input_type not in (
                    "date",
                    "datetime-local",
                    "month",
                ):
                    wrong.append((f"{name}.{field_name}", html))
    assert len(checked) >= 10
    assert wrong == []


# -- the pages' edit forms ---------------------------------------------------------------------


def _round_trip(client, url: str, form_selector: str, *, submit_to: str | None = None):
    """GET `url`, submit the form as rendered; returns the POST's response."""
    page = client.get(url)
    assert page.status_code == 200, url
    action, data = form_data(page.content.decode(), form_selector, base=url)
    response = client.post(submit_to or action, data)
    assert response.status_code in (200, 302), (url, response.status_code)
    if response.status_code == 200:  # a re-rendered form names its errors
        assert b'class="error' not in response.content and b"errorlist" not in response.content
    return response


def _fields(obj, *, exclude=(), seconds=False) -> dict:
    """The object's fields as stored (with `seconds`, times to the second: the admin's time
    inputs show seconds, not microseconds)."""
    obj.refresh_from_db()
    d = model_to_dict(obj)
    for name in exclude:
        d.pop(name, None)
    if seconds:
        d = {k: v.replace(microsecond=0) if isinstance(v, datetime) else v for k, v in d.items()}
    return d


@pytest.fixture
def staff(world, client_for):
    return client_for(world.users.coordinator)


def test_project_edit_saved_unchanged_keeps_every_field(world, staff):
    sub = f.SubdistrictFactory(region=world.baoan, name="新桥")
    project = world.project1
    project.subdistrict = sub
    project.plan_start = date(2026, 3, 2)
    project.land_acquired_on = date(2026, 2, 27)
    project.planned_start = date(2026, 12, 15)
    project.forecast_start = date(2027, 1, 8)
    project.land_area = Decimal("12345.67")
    project.is_major = True
    project.save()
    before = _fields(project, exclude=["updated_at"])
    # when the coordinator opens the edit page and saves it untouched
    response = _round_trip(staff, f"/projects/{project.pk}/edit/", "//main//form[@method='post']")
    # then nothing changed: dates, area, subdistrict, the major flag…
    assert response.status_code == 302
    assert _fields(project, exclude=["updated_at"]) == before


def test_reform_item_progress_saved_unchanged_keeps_status_evidence_and_date(world, staff):
    from greenlight.reforms.models import ReformItem, ReviewedDocument

    doc = ReviewedDocument.objects.create(
        region=world.baoan, title="《宝安区建设工程规划许可办理规程》", kind="workflow", unit="规资"
    )
    item = ReformItem.objects.create(
        region=world.baoan,
        document=doc,
        number=1,
        kind="rectify",
        finding="规划许可材料重复提交",
        owner_unit="规资",
        owner_department=world.eco,
        due=date(2026, 6, 30),
        status="done",
        evidence="已印发《材料共享清单》",
        done_on=date(2026, 5, 20),
    )
    before = _fields(item)
    _round_trip(staff, f"/reforms/items/{item.pk}/", "//form[.//textarea[@name='evidence']]")
    # the finished item keeps the day it was done (no new 'done today')
    assert _fields(item) == before


def test_ticket_assignment_saved_unchanged_keeps_lead_and_cooperating(world, staff):
    from greenlight.tickets import services

    ticket = services.report(
        actor=world.users.company,
        project=world.project1,
        title="施工许可前置条件不明确",
        category="policy",
        description="需要明确施工许可的前置条件",
    )
    services.assign(
        ticket=ticket, actor=world.users.coordinator, lead=world.eco, cooperating=[world.water]
    )
    ticket.refresh_from_db()
    before = (ticket.lead_department_id, sorted(ticket.cooperating_departments.values_list("pk")))
    _round_trip(staff, f"/tickets/{ticket.pk}/", "//form[contains(@action, '/assign/')]")
    ticket.refresh_from_db()
    after = (ticket.lead_department_id, sorted(ticket.cooperating_departments.values_list("pk")))
    assert after == before


def _meeting(world):
    from greenlight.reviews.models import ActionItem, Batch, Meeting

    batch = Batch.objects.create(
        region=world.baoan,
        title="2026年第一批联审联批项目清单",
        issued_by=world.users.coordinator,
        issued_at=timezone.now(),
        opinion_due=date(2026, 12, 15),
    )
    meeting = Meeting.objects.create(
        batch=batch,
        starts_at=timezone.make_aware(datetime(2026, 12, 16, 9, 30)),
        ends_at=timezone.make_aware(datetime(2026, 12, 16, 11, 0)),
        place="区政府三楼会议室",
        sequence=0,
        created_by=world.users.coordinator,
    )
    ActionItem.objects.create(
        meeting=meeting,
        project=world.project1,
        department=world.eco,
        text="生态环境局提前介入环评",
        due=date(2026, 12, 20),
    )
    return meeting


def test_joint_review_meeting_edit_saved_unchanged_keeps_time_and_place(world, staff):
    meeting = _meeting(world)
    before = _fields(meeting)
    _round_trip(staff, f"/reviews/meetings/{meeting.pk}/edit/", "//main//form[@method='post']")
    # and no department is told of a change (the invitation's sequence stays)
    assert _fields(meeting) == before


def test_candidate_pin_saved_unchanged_keeps_the_pin(world, staff):
    from greenlight.pipeline import services

    cand = services.propose_candidate(
        data={
            "name": "新桥智造园",
            "owner": world.org1.pk,
            "category": "social_industry",
            "industry": "manufacturing",
            "investment": 30000,
            "funding": "company",
            "maturity": ["site", "planning"],
        },
        actor=world.users.coordinator,
        year=2026,
    )
    services.pin_candidate(candidate=cand, pin="in", actor=world.users.coordinator)
    before = _fields(cand)
    _round_trip(staff, f"/pipeline/candidates/{cand.pk}/", "//form[contains(@action, '/pin/')]")
    assert _fields(cand) == before


# -- every change form of the admin ------------------------------------------------------------


def _admin_objects(world, users):
    """For each model one of `users` may change in the admin, that user and one object (the
    catalog's matters first)."""
    from greenlight.accounts.models import ApiToken
    from greenlight.catalog import seeding
    from greenlight.catalog.models import CalendarDay
    from greenlight.notifications.models import Delivery, Webhook

    seeding.load_catalog()
    seeding.seed_departments(world.baoan)
    f.SubdistrictFactory(region=world.baoan, name="新桥")
    CalendarDay.objects.create(date=date(2026, 10, 10), is_workday=True, note="国庆调休上班")
    hook = Webhook.objects.create(
        region=world.baoan,
        department=world.eco,
        name="生态环境局钉钉群",
        url="https://oapi.dingtalk.com/robot/send?access_token=x",
        kind="dingtalk",
        markdown=True,
        events=["approval_overdue"],
    )
    Delivery.objects.create(
        webhook=hook,
        key="approval_overdue:1",
        event="approval_overdue",
        payload={"text": "办件超期"},
        next_attempt_at=timezone.now(),
    )
    ApiToken.issue(user=world.users.coordinator, name="报表")
    _meeting(world)
    for model, model_admin in admin.site._registry.items():
        user = next((u for u in users if model_admin.has_change_permission(_Request(u))), None)
        obj = model.objects.order_by("pk").first()
        if user is not None and obj is not None:
            yield user, model, obj


class _Request:
    def __init__(self, user):
        self.user = user


def test_every_admin_change_form_saved_unchanged_keeps_every_field(world, client_for):
    """Each form the system and the security administrator may save (三员分立: the catalog
    and regions for one, users for the other; workflow models are read-only for both)."""
    from greenlight.projects.models import InvestmentReport

    security = f.UserFactory(
        username="security", role=Role.SECURITY_ADMIN, region=world.baoan, is_staff=True
    )
    world.users.admin.is_staff = True
    world.users.admin.role = Role.ADMIN
    world.users.admin.save()
    InvestmentReport.objects.create(project=world.project1, month=date(2026, 5, 1), amount=12)
    covered, changed = [], []
    for user, model, obj in _admin_objects(world, (world.users.admin, security)):
        client = client_for(user)
        opts = model._meta
        url = f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/change/"
        before = _fields(obj, exclude=["updated_at"], seconds=True)
        m2m = {
            m.name: sorted(getattr(obj, m.name).values_list("pk", flat=True))
            for m in opts.many_to_many
        }
        response = _round_trip(client, url, f"//form[@id='{opts.model_name}_form']")
        assert response.status_code == 302, (url, response.content.decode()[:2000])
        obj = model.objects.get(pk=obj.pk)
        after = _fields(obj, exclude=["updated_at"], seconds=True)
        m2m_after = {
            m.name: sorted(getattr(obj, m.name).values_list("pk", flat=True))
            for m in opts.many_to_many
        }
        covered.append(opts.label)
        if (after, m2m_after) != (before, m2m):
            diff = {
                k: (before.get(k), after.get(k)) for k in before if before.get(k) != after.get(k)
            }
            changed.append((opts.label, diff, m2m, m2m_after))
    assert len(covered) >= 9 and {"catalog.Matter", "accounts.User"} <= set(covered)
    assert not {"projects.Project", "approvals.Approval", "reviews.Batch"} & set(covered)
    # the admin's writes are audited; a matter goes through the catalog's service
    from greenlight.audit.models import AuditEvent

    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"matter_updated", "admin_changed", "user_changed"} <= actions
    assert changed == []
