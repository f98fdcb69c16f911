"""Every page as each role sees it, on a small demo district: the words (no raw code in the
Chinese interface), the links (none to a page that answers 403) and the home tiles (each opens
exactly the list it counts)."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from greenlight.accounts.models import User
from tests import pages
from tests.auth import verified_login

# Users of the demo, one per role (`province` is a leader of the province).
ROLES = ["coordinator", "approver", "company1", "leader", "supervisor", "admin", "province"]
# Pages where a code is the very thing shown or typed, and why.
ALLOWED = {
    # The plan editor's prerequisite syntax: the user types "CODE SS+5" (the plan-file notation).
    "/projects/<n>/plan/edit/": {"FS", "SS"},
    # The event log export names the CSV's columns as the file has them (case_id, project…).
    "/analytics/export/": {"project"},
}
# The admin's user pages list logins, and the demo's logins are named after their roles.
LOGIN_PAGES = re.compile(r"^/admin/accounts/(user|apitoken)/")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """A small demo district (30 projects with approvals, tickets, reviews, pipeline, register),
    built once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", "--projects", "30", stdout=StringIO(), stderr=StringIO())
        _unanswered_tickets()
        _overdue_approval()
        yield
        transaction.set_rollback(True)


def _unanswered_tickets() -> None:
    """Two problems the coordinator recorded and nobody answered: one phoned in ten days ago,
    which the tick flags and escalates, and one today. The demo's own tickets arise from
    blockers in its data, which a district of 30 projects seldom leaves open at today."""
    from datetime import timedelta

    from django.utils import timezone

    from greenlight.accounts.models import Department
    from greenlight.projects.models import Project
    from greenlight.tickets import jobs, services

    coordinator = User.objects.get(username="coordinator")
    project = Project.objects.filter(region=coordinator.region).order_by("pk").first()
    lead = Department.objects.filter(region=coordinator.region).order_by("pk").first()
    now = timezone.now()
    for at in (now - timedelta(days=10), now):
        ticket = services.report(
            actor=coordinator,
            project=project,
            title="施工临时用电报装进度缓慢",
            category="site",
            channel="phone",
            reported_at=at,
        )
        services.assign(ticket=ticket, actor=coordinator, lead=lead)
        if at < now:
            assert jobs.escalate(now=now)["escalated"] > 0


def _overdue_approval() -> None:
    """One application the coordinator submitted and its department accepted 120 days ago and
    left undecided: its clock has run out. Whether the demo's own simulated histories leave an
    approval overdue at today depends on the day, and 30 projects often leave none."""
    from datetime import timedelta

    from django.utils import timezone

    from greenlight.approvals import clocks, services
    from greenlight.approvals.choices import Status
    from greenlight.approvals.models import Approval
    from greenlight.kernel.roles import Role

    coordinator = User.objects.get(username="coordinator")
    approvers = User.objects.filter(role=Role.APPROVER, is_active=True)
    approval = (
        Approval.objects.filter(
            project__region=coordinator.region,
            status=Status.NOT_STARTED,
            joint_case__isnull=True,
            department__in=approvers.values("department"),
        )
        .order_by("matter__committed_limit", "pk")
        .first()
    )
    approver = approvers.filter(department=approval.department).order_by("pk").first()
    now = timezone.now()
    then = now - timedelta(days=120)
    services.transition(approval=approval, action="submit", actor=coordinator, at=then)
    accepted = services.transition(approval=approval, action="accept", actor=approver, at=then)
    # the platform's own clock says so (its shortest limit ran out within the 120 days)
    assert clocks.light(accepted, now=now) == "red"


@pytest.fixture
def as_user(demo, db, client):
    def login(username: str):
        verified_login(client, User.objects.get(username=username))
        client.cookies["django_language"] = "zh-hans"
        return client

    return login


def _start(username: str) -> list[str]:
    """The home page (and the admin's index), then one object of each state the user may see
    of everything with states: their pages print the most codes when they go wrong."""
    from greenlight.approvals.models import Approval
    from greenlight.pipeline.models import Candidate
    from greenlight.reforms.models import ReformItem
    from greenlight.reviews.models import Batch
    from greenlight.supervision.models import SupervisionNotice
    from greenlight.tickets.models import Ticket

    user = User.objects.get(username=username)
    start = ["/", "/admin/"] if username == "admin" else ["/"]
    for model, field, url in (
        (Approval, "status", "/approvals/{}/"),
        (Ticket, "status", "/tickets/{}/"),
        (Candidate, "status", "/pipeline/candidates/{}/"),
        (ReformItem, "status", "/reforms/items/{}/"),
        (SupervisionNotice, "department", "/supervision/{}/"),
        (Batch, "region", "/reviews/{}/"),
    ):
        rows = model.objects.visible_to(user).order_by(field, "-pk").values_list(field, "pk")
        firsts = dict(reversed(list(rows)))  # the newest object of each state
        start += [url.format(pk) for pk in firsts.values()]
    start += [f"/approvals/{pk}/" for pk in _paused_and_resumed(user)]
    return start


def _paused_and_resumed(user) -> list[int]:
    """Approvals whose clock was paused at least once (their pages list the pauses)."""
    from greenlight.approvals.models import Approval

    return list(
        Approval.objects.visible_to(user).filter(pauses__isnull=False).values_list("pk", flat=True)
    )[:3]


_WALKS: dict[str, list[tuple[str, str | None, int, str, str]]] = {}


@pytest.fixture
def walk(as_user):
    """What the user meets walking the site from the home page (and the admin's index):
    (url, the page linking to it, status, content type, html), walked once per user."""

    def get(username: str):
        if username not in _WALKS:
            client = as_user(username)
            _WALKS[username] = [
                (url, found_on, r.status_code, r.get("Content-Type", ""), r.content.decode())
                for url, found_on, r in pages.crawl(client, _start(username), per_pattern=2)
            ]
        return _WALKS[username]

    return get


@pytest.mark.parametrize("username", ROLES)
def test_no_choice_value_shows_as_a_word_on_the_chinese_pages(walk, username):
    # given every value of every choice of the platform (stage, status, unit, light, action…)
    codes = pages.choice_values()
    logins = set(User.objects.values_list("username", flat=True))
    found = []
    # when the user walks every page they can reach, in Chinese
    for url, _on, status, ctype, html in walk(username):
        if status != 200 or not ctype.startswith("text/html"):
            continue
        hits = pages.raw_codes(pages.visible_text(html), codes)
        hits -= ALLOWED.get(pages.pattern(url).split("?")[0], set())
        if LOGIN_PAGES.match(url):
            hits -= logins
        found += [(url, code, sorted(codes[code])) for code in sorted(hits)]
    # then no page shows a code where a word belongs
    assert found == [], "\n".join(map(str, found))


@pytest.mark.parametrize("username", ROLES)
def test_no_link_leads_to_a_page_the_user_may_not_open(walk, username):
    # when the user follows every link of the pages they reach (home, lists, one object each)
    pages_met = walk(username)
    refused = [
        (status, url, found_on)
        for url, found_on, status, _c, _h in pages_met
        # the home page and every link met (the objects the walk starts from are no links)
        if status >= 400 and (found_on is not None or url == "/")
    ]
    assert len(pages_met) > 20
    # then none answers 403 (nor 404: no bad links; nor 500)
    assert refused == [], refused


# -- home tiles --------------------------------------------------------------------------------


def _tiles(html: str) -> list[tuple[str, int]]:
    """The home page's tiles and funnel steps that are links: (href, the number shown)."""
    root = pages._tree(html)
    out = []
    for a in root.xpath("//main//a[contains(@class, 'tile')] | //ol[@class='funnel']//a"):
        number = a.xpath("string(.//b)").strip().replace(",", "")
        out.append((a.get("href"), int(number)))
    return out


def _rows(client, url: str) -> int:
    """How many rows the list at `url` has, over all its pages."""
    total, seen = 0, set()
    while url and url not in seen:
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        root = pages._tree(response.content.decode())
        body = root.xpath("//main//table[contains(@class, 'grid')]/tbody")
        assert body, f"{url} shows no list"
        total += len(body[0].xpath("./tr[not(td[contains(@class, 'empty')])]"))
        nxt = root.xpath(
            "//*[contains(@class, 'pager')]//a[contains(., '›') or contains(., '→')]/@href"
        )
        url = pages.links(f'<a href="{nxt[0]}"></a>', url)[0] if nxt else None
    return total


@pytest.mark.parametrize("username", ROLES)
def test_every_home_tile_opens_exactly_the_list_it_counts(as_user, username):
    client = as_user(username)
    home = client.get("/")
    tiles = _tiles(home.content.decode())
    # given the home page's tiles (projects, majors, pending, paused, overdue approvals, overdue
    # and escalated tickets, notices to answer) and the lifecycle funnel
    assert len(tiles) >= 7
    # then each number is the number of rows of the list it opens
    mismatches = [
        (href, shown, rows) for href, shown in tiles if (rows := _rows(client, href)) != shown
    ]
    assert mismatches == []


def test_the_demo_has_something_behind_the_tiles(as_user):
    # the tiles above compare real numbers: the demo has escalated and overdue things
    client = as_user("coordinator")
    tiles = dict(_tiles(client.get("/").content.decode()))
    assert tiles["/projects/"] > 0
    assert tiles["/approvals/?light=red"] > 0
    assert tiles["/tickets/?state=escalated"] > 0
    # and fewer tickets are escalated than are open (the tile once opened all the open ones)
    assert tiles["/tickets/?state=escalated"] < _rows(client, "/tickets/?state=open")


def test_no_choice_value_in_the_excel_exports(as_user):
    import io

    from openpyxl import load_workbook

    from greenlight.projects.models import Project

    codes = pages.choice_values()
    client = as_user("coordinator")
    project = Project.objects.filter(region__code="440306").order_by("-is_major", "pk").first()
    found = []
    # when the coordinator downloads every Excel export (tickets, a plan, analytics)
    for url in (
        "/tickets/export.xlsx",
        "/tickets/import/template.xlsx",
        f"/projects/{project.pk}/plan.xlsx",
        "/analytics/scorecards.xlsx",
        "/analytics/investment/template.xlsx",
        "/analytics/investment/monthly.xlsx",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        for sheet in load_workbook(io.BytesIO(body)).worksheets:
            for row in sheet.iter_rows(values_only=True):
                texts = [v for v in row if isinstance(v, str)]
                found += [(url, sheet.title, c) for t in texts for c in pages.raw_codes(t, codes)]
    # then every cell is in words
    assert found == []
