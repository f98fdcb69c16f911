"""The notice pages: issuing from a subject's page, the list, the detail with its reply form;
who gets 403 and 404; old addresses redirect."""

import pytest

from greenlight.supervision import services
from greenlight.supervision.models import SupervisionNotice
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(world, approval):
    return services.issue_notice(
        subject=approval, text="请于两个工作日内办结", actor=world.users.coordinator
    )


def test_coordinator_issues_from_the_approval_page_and_the_department_replies(
    client_for, world, approval
):
    # given the approval's page shows the coordinator the issuing form
    coordinator = client_for(world.users.coordinator)
    page = coordinator.get(f"/approvals/{approval.pk}/")
    issue_url = f"/supervision/new/approval/{approval.pk}/"
    assert page.status_code == 200 and issue_url in page.content.decode()
    # when the coordinator issues
    response = coordinator.post(issue_url, {"text": "请于两个工作日内办结", "reply_days": 2})
    notice = SupervisionNotice.objects.get()
    assert response.status_code == 302 and response.url == f"/supervision/{notice.pk}/"
    assert notice.subject == approval and notice.department == world.eco
    # then the approval's page lists it, and the department answers on the notice's page
    assert "请于两个工作日内办结" in coordinator.get(f"/approvals/{approval.pk}/").content.decode()
    approver = client_for(world.users.approver)
    detail = approver.get(f"/supervision/{notice.pk}/")
    assert detail.status_code == 200 and detail.context["form"] is not None
    replied = approver.post(f"/supervision/{notice.pk}/", {"text": "已安排专人办理"})
    assert replied.status_code == 302
    notice.refresh_from_db()
    assert notice.reply_text == "已安排专人办理"
    assert approver.get(f"/supervision/{notice.pk}/").context["form"] is None


def test_issue_on_a_ticket_and_on_a_batch_from_their_pages(client_for, world, ticket, batch):
    coordinator = client_for(world.users.coordinator)
    ticket_page = coordinator.get(f"/tickets/{ticket.pk}/").content.decode()
    assert f"/supervision/new/ticket/{ticket.pk}/" in ticket_page
    coordinator.post(f"/supervision/new/ticket/{ticket.pk}/", {"text": "请反馈", "reply_days": 1})
    batch_page = coordinator.get(f"/reviews/{batch.pk}/")
    form = batch_page.context["supervision"]["form"]
    assert set(form.fields["department"].queryset) == {world.eco, world.water}
    coordinator.post(
        f"/supervision/new/batch/{batch.pk}/",
        {"text": "请提交意见", "reply_days": 3, "department": world.water.pk},
    )
    rows = {(n.subject, n.department) for n in SupervisionNotice.objects.all()}
    assert rows == {(ticket, world.eco), (batch, world.water)}
    assert "请提交意见" in coordinator.get(f"/reviews/{batch.pk}/").content.decode()


def test_the_issue_page_renders_with_the_regions_default(client_for, world, approval):
    world.baoan.settings = {"supervision": {"reply_workdays": 4}}
    world.baoan.save()
    page = client_for(world.users.coordinator).get(f"/supervision/new/approval/{approval.pk}/")
    assert page.status_code == 200 and page.context["form"]["reply_days"].initial == 4
    assert "签发督办单" in page.content.decode()


def test_empty_text_gets_422_naming_the_field_and_stores_nothing(client_for, world, approval):
    response = client_for(world.users.coordinator).post(
        f"/supervision/new/approval/{approval.pk}/", {"text": "  ", "reply_days": 2}
    )
    assert response.status_code == 422
    assert "督办要求" in response.content.decode() and response.context["form"].errors["text"]
    assert SupervisionNotice.objects.count() == 0


def test_an_empty_reply_gets_422_and_stores_nothing(client_for, world, notice):
    response = client_for(world.users.approver).post(f"/supervision/{notice.pk}/", {"text": ""})
    assert response.status_code == 422 and "回复" in response.content.decode()
    notice.refresh_from_db()
    assert notice.replied_at is None


def test_a_company_gets_403_or_404_on_every_notice_page(client_for, world, approval, notice):
    company = client_for(world.users.company)  # the owner of the approval's project
    for url in (
        "/supervision/",
        f"/supervision/{notice.pk}/",
        f"/supervision/new/approval/{approval.pk}/",
    ):
        assert company.get(url).status_code in (403, 404), url
    assert company.post(f"/supervision/{notice.pk}/", {"text": "x"}).status_code in (403, 404)
    assert company.post(f"/supervision/new/approval/{approval.pk}/", {"text": "x"}).status_code in (
        403,
        404,
    )
    page = company.get(f"/approvals/{approval.pk}/").content.decode()
    assert "/supervision/" not in page and "请于两个工作日内办结" not in page
    assert SupervisionNotice.objects.count() == 1


def test_another_districts_coordinator_gets_404(client_for, world, approval, notice):
    nanshan = client_for(world.users.nanshan)
    assert nanshan.get(f"/supervision/{notice.pk}/").status_code == 404
    assert nanshan.get(f"/supervision/new/approval/{approval.pk}/").status_code == 404
    assert (
        nanshan.post(f"/supervision/new/approval/{approval.pk}/", {"text": "x"}).status_code == 404
    )
    assert list(nanshan.get("/supervision/").context["page"]) == []


def test_an_approver_of_another_department_cannot_reply(client_for, world, notice):
    water = client_for(world.users.water_approver)
    page = water.get(f"/supervision/{notice.pk}/")
    assert page.status_code == 200 and page.context["form"] is None
    assert water.post(f"/supervision/{notice.pk}/", {"text": "x"}).status_code == 403
    notice.refresh_from_db()
    assert notice.replied_at is None


def test_only_coordinators_open_the_issue_page(client_for, world, approval):
    for user in (world.users.approver, world.users.leader):
        url = f"/supervision/new/approval/{approval.pk}/"
        assert client_for(user).get(url).status_code == 403
    assert client_for(world.users.coordinator).get("/supervision/new/nothing/1/").status_code == 404


def test_the_list_filters_and_starts_an_approver_on_its_department(client_for, world, approval):
    answered = f.SupervisionNoticeFactory(
        subject=approval, issued_by=world.users.coordinator, text="已回复的"
    )
    answered.reply_text, answered.replied_at = "好", answered.issued_at
    answered.save()
    f.SupervisionNoticeFactory(subject=approval, issued_by=world.users.coordinator, text="待回复的")
    water_notice = f.SupervisionNoticeFactory(
        subject=approval, issued_by=world.users.coordinator, department=world.water
    )
    coordinator = client_for(world.users.coordinator)
    assert len(coordinator.get("/supervision/").context["page"]) == 3
    open_rows = coordinator.get("/supervision/?state=open").context["page"]
    assert {n.text for n in open_rows} == {"待回复的", water_notice.text}
    assert len(coordinator.get("/supervision/?state=answered").context["page"]) == 1
    assert len(coordinator.get("/supervision/?kind=ticket").context["page"]) == 0
    water = client_for(world.users.water_approver)
    assert [n.pk for n in water.get("/supervision/").context["page"]] == [water_notice.pk]
    assert len(water.get("/supervision/?state=").context["page"]) == 3


def test_old_addresses_redirect_to_the_supervision_pages(client_for, world, notice):
    client = client_for(world.users.approver)
    response = client.get(f"/approvals/notices/{notice.pk}/")
    assert response.status_code == 301 and response.url == f"/supervision/{notice.pk}/"
    response = client.get("/approvals/notices/")
    assert response.status_code == 301 and response.url == "/supervision/"


def test_the_home_page_counts_notices_to_answer(client_for, world, notice):
    assert client_for(world.users.approver).get("/").context["todo"]["open_notices"] == 1
    assert client_for(world.users.water_approver).get("/").context["todo"]["open_notices"] == 0
    assert client_for(world.users.company).get("/").context["todo"]["open_notices"] == 0
