"""The project list reads only its page: the count is a plain COUNT of the filtered projects,
and the pending approvals are counted for the page's ids only, so the queries do not grow with
the number of projects."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from greenlight.approvals.choices import Status
from tests import factories as f

pytestmark = pytest.mark.django_db


def _projects(world, n: int) -> None:
    done = f.MatterFactory(name="已办结事项")
    for _ in range(n):
        p = f.ProjectFactory(owner=world.org1)
        f.ApprovalFactory(
            project=p, matter=world.matter, department=world.eco, status=Status.SUBMITTED
        )
        f.ApprovalFactory(project=p, matter=done, department=world.eco, status=Status.APPROVED)


def _queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize("url", ["/projects/", "/projects/?page=2", "/api/v1/projects?page=2"])
def test_the_list_reads_the_same_queries_for_60_or_180_projects(client_for, world, url):
    client = client_for(world.users.coordinator)
    _projects(world, 60)
    few = _queries(client, url)
    _projects(world, 120)
    many = _queries(client, url)
    assert len(many) == len(few)
    # no query aggregates approvals over every project: approvals are read for listed ids only
    approvals = [q for q in many if "approvals_approval" in q]
    assert all(" IN (" in q for q in approvals), approvals
    count = next(q for q in many if "COUNT(" in q.upper())
    assert "approvals_approval" not in count


def test_the_page_shows_each_rows_pending_count(client_for, world):
    _projects(world, 3)
    body = client_for(world.users.coordinator).get("/projects/").content.decode()
    # each of the three new projects has one approval not yet decided
    assert body.count('<td class="num">1</td>') >= 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes: PostgreSQL only")
def test_the_search_has_trigram_indexes_of_name_and_code(client_for, world):
    # given a project whose name holds the searched text somewhere inside
    f.ProjectFactory(owner=world.org1, name="宝安测试项目12号")
    # when
    body = client_for(world.users.coordinator).get("/projects/?q=测试项目12").content.decode()
    with connection.cursor() as cur:
        cur.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'projects_project'")
        defs = [row[0] for row in cur.fetchall()]
    # then both indexes exist on the expression the search writes (UPPER(col) LIKE UPPER(…))
    for column in ("name", "code"):
        assert any(f"upper(({column})::text) gin_trgm_ops" in d for d in defs), defs
    assert "宝安测试项目12号" in body
