"""Joint review pages: the triad for each, in Chinese, and the forms' errors on their fields."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from greenlight.accounts.choices import DepartmentKind
from greenlight.reviews.models import ActionItem, Batch, Decision
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(world, meeting):
    return ActionItem.objects.create(
        meeting=meeting, department=world.water, text="出具排水意见", due=date(2099, 1, 1)
    )


def _pages(review, meeting):
    b, m = review.batch.pk, meeting.pk
    return [
        f"/reviews/{b}/",
        f"/reviews/{b}/opinions/",
        f"/reviews/{b}/board/",
        f"/reviews/{b}/feedback/",
        f"/reviews/meetings/{m}/",
        f"/reviews/meetings/{m}/invite.ics",
    ]


def test_anonymous_is_sent_to_login(client, world, review, meeting):
    for url in [*_pages(review, meeting), "/reviews/", "/reviews/new/", "/reviews/decisions/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_a_company_gets_403_and_another_tenant_404(client_for, world, review, meeting):
    company = client_for(world.users.company)
    for url in [*_pages(review, meeting), "/reviews/", "/reviews/new/"]:
        assert company.get(url).status_code == 403, url
    for user in (world.users.nanshan, review.housing_approver):
        client = client_for(user)
        for url in _pages(review, meeting):
            assert client.get(url).status_code == 404, (user, url)


@pytest.mark.parametrize("who", ["coordinator", "approver", "leader", "supervisor"])
def test_staff_read_every_page_in_chinese(client_for, world, review, meeting, item, who):
    client = client_for(getattr(world.users, who))
    for url in _pages(review, meeting):
        assert client.get(url).status_code == 200, url
    page = client.get(f"/reviews/{review.batch.pk}/").content.decode()
    assert "联审联批" in page and "宝安区水务局" in page


def test_only_coordinators_open_the_picker_and_schedule(client_for, world, review, meeting):
    for who in ("approver", "leader", "supervisor"):
        client = client_for(getattr(world.users, who))
        assert client.get("/reviews/new/").status_code == 403
        assert client.get(f"/reviews/{review.batch.pk}/meetings/new/").status_code == 403
        assert client.get(f"/reviews/meetings/{meeting.pk}/edit/").status_code == 403
        assert client.post(f"/reviews/meetings/{meeting.pk}/minutes/").status_code == 403
    response = client_for(world.users.coordinator).get("/reviews/new/?stage=")
    assert response.status_code == 200
    assert world.project1.name in response.content.decode()


def test_batch_list_query_count_is_pinned(client_for, world, review, django_assert_max_num_queries):
    client = client_for(world.users.leader)
    with django_assert_max_num_queries(10):
        response = client.get("/reviews/")
    assert review.batch.title in response.content.decode()


def test_board_and_opinions_query_counts_are_pinned(
    client_for, world, review, meeting, django_assert_max_num_queries
):
    client = client_for(world.users.coordinator)
    with django_assert_max_num_queries(16):
        assert client.get(f"/reviews/{review.batch.pk}/board/").status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(f"/reviews/{review.batch.pk}/opinions/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(f"/reviews/{review.batch.pk}/").status_code == 200


def test_issue_from_the_picker(client_for, world, review):
    client = client_for(world.users.coordinator)
    # given an empty selection, the page says why and issues nothing
    response = client.post("/reviews/new/", {"title": "第二批", "opinion_workdays": 5})
    assert response.status_code == 200
    assert "至少选择一个项目" in response.content.decode()
    # when two projects are ticked
    response = client.post(
        "/reviews/new/",
        {
            "title": "第二批",
            "opinion_workdays": 5,
            "project": [world.project1.pk, world.project2.pk],
        },
    )
    # then the batch exists and the page goes to it
    batch = Batch.objects.get(title="第二批")
    assert response.status_code == 302 and response["Location"] == f"/reviews/{batch.pk}/"


def test_a_meeting_in_the_past_shows_the_error_on_its_field(client_for, world, review):
    client = client_for(world.users.coordinator)
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"/reviews/{review.batch.pk}/meetings/new/", {"starts_at": past, "place": "会议室"}
    )
    assert response.status_code == 422
    assert "会议时间不能早于现在" in response.content.decode()


def test_an_approver_records_its_opinion_and_not_anothers(client_for, world, review):
    client = client_for(world.users.water_approver)
    assert (
        client.post(
            f"/reviews/opinions/{review.eco_opinion.pk}/", {"kind": "no_objection"}
        ).status_code
        == 403
    )
    mine = review.water_opinions[0]
    response = client.post(
        f"/reviews/opinions/{mine.pk}/",
        {"kind": "no_objection", "text": "", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/reviews/{review.batch.pk}/opinions/"
    mine.refresh_from_db()
    assert mine.kind == "no_objection"


def test_minutes_and_feedback_from_the_pages(client_for, world, review, meeting):
    coordinator = client_for(world.users.coordinator)
    coordinator.post(
        f"/reviews/meetings/{meeting.pk}/minutes/",
        {
            "summary": "纪要",
            f"outcome_{world.project1.pk}": "proceed",
            f"text_{world.project1.pk}": "同步",
        },
    )
    assert Decision.objects.get().outcome == "proceed"
    due = (timezone.localdate(meeting.starts_at) + timedelta(days=2)).isoformat()
    coordinator.post(
        f"/reviews/meetings/{meeting.pk}/items/",
        {"department": world.water.pk, "text": "出具意见", "due": due},
    )
    item = ActionItem.objects.get()
    approver = client_for(world.users.approver)
    assert (
        approver.post(f"/reviews/items/{item.pk}/feedback/", {"feedback": "x"}).status_code == 403
    )
    water = client_for(world.users.water_approver)
    assert (
        water.post(f"/reviews/items/{item.pk}/feedback/", {"feedback": "已办"}).status_code == 302
    )
    item.refresh_from_db()
    assert item.feedback == "已办"


def test_company_sees_the_decision_on_its_own_project(client_for, world, review, meeting):
    Decision.objects.create(
        meeting=meeting, project=world.project2, outcome="defer", decided_by=world.users.coordinator
    )
    Decision.objects.create(
        meeting=meeting,
        project=world.project1,
        outcome="proceed",
        decided_by=world.users.coordinator,
    )
    page = client_for(world.users.company).get("/reviews/decisions/").content.decode()
    assert world.project1.name in page and world.project2.name not in page
    assert review.batch.title not in page


def test_the_board_reads_the_same_queries_for_more_approvals(client_for, world, review):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.users.coordinator)
    url = f"/reviews/{review.batch.pk}/board/"

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    cells = client.get(url).content.decode().count('class="ap ')
    for i in range(8):  # eight more of the ecology department's approvals on project1
        matter = f.MatterFactory(department_kind=DepartmentKind.ECOLOGY, name=f"生态事项{i}")
        f.ApprovalFactory(project=world.project1, matter=matter, department=world.eco)
    body = client.get(url).content.decode()
    assert "生态事项7" in body and body.count('class="ap ') == cells + 8
    assert queries() == few
