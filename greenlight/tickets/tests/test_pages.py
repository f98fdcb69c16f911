"""Ticket pages: the triad, Chinese by default, forms, actions, attachments, query counts."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from greenlight.supervision import services as supervision
from greenlight.tickets import services
from greenlight.tickets.models import Attachment, Ticket

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.mark.parametrize(
    "url", ["/tickets/", "/tickets/new/", "/tickets/figures/", "/tickets/import/"]
)
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_list_in_chinese_with_lights(client_for, world, make_ticket):
    make_ticket()
    response = client_for(world.users.coordinator).get("/tickets/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "疑难问题" in html and "已超期" in html and "施工临时用电报装进度缓慢" in html


def test_company_list_shows_only_its_own(client_for, world, make_ticket):
    make_ticket(reporter=world.users.coordinator, project=world.project2, title="魏桥的问题")
    html = client_for(world.users.company).get("/tickets/").content.decode()
    assert "魏桥的问题" not in html


def test_list_query_count_does_not_grow_with_rows(
    client_for, world, make_ticket, django_assert_max_num_queries
):
    for i in range(25):
        make_ticket(title=f"问题{i}")
    client = client_for(world.users.coordinator)
    with django_assert_max_num_queries(10):  # 8, +1 the second factor, +1 the district filter
        assert client.get("/tickets/?light=overdue").status_code == 200


def test_figures_query_count_and_roles(client_for, world, assigned, django_assert_max_num_queries):
    services.record_milestone(
        ticket=assigned, actor=world.users.approver, milestone="feedback", text="收到"
    )
    client = client_for(world.users.leader)
    with django_assert_max_num_queries(8):
        response = client.get("/tickets/figures/")
    assert response.status_code == 200
    assert response.context["departments"][0]["feedback_rate"] == 0.0  # answered weeks late
    assert client_for(world.users.company).get("/tickets/figures/").status_code == 403


def test_report_form_errors_show_on_the_field(client_for, world):
    client = client_for(world.users.company)
    response = client.post(
        "/tickets/new/", {"project": world.project1.pk, "title": "", "category": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"title", "category"}
    assert Ticket.objects.count() == 0
    # a project of another company is not even a choice
    response = client.post(
        "/tickets/new/", {"project": world.project2.pk, "title": "x", "category": "land"}
    )
    assert "project" in response.context["form"].errors


def test_report_with_an_attachment_and_download_it(client_for, world):
    client = client_for(world.users.company)
    photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    response = client.post(
        "/tickets/new/",
        {"project": world.project1.pk, "title": "围挡", "category": "site", "attachments": [photo]},
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tickets/{ticket.pk}/"
    att = Attachment.objects.get()
    download = client.get(f"/tickets/attachments/{att.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    assert download["X-Content-Type-Options"] == "nosniff"
    assert (
        client_for(world.users.company2).get(f"/tickets/attachments/{att.pk}/").status_code == 404
    )
    assert client_for(world.users.nanshan).get(f"/tickets/attachments/{att.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [("a.exe", b"MZ...", "不接受"), ("a.png", b"GIF89a....", "不像"), ("big.pdf", None, "MB")],
)
def test_bad_attachments_are_refused_with_a_clear_message(
    client_for, world, name, content, reason, monkeypatch
):
    from greenlight.tickets import attachments

    if content is None:
        monkeypatch.setattr(attachments, "MAX_BYTES", 10)
        content = b"%PDF-1.4 " + b"x" * 20
    client = client_for(world.users.company)
    upload = SimpleUploadedFile(name, content)
    response = client.post(
        "/tickets/new/",
        {
            "project": world.project1.pk,
            "title": "附件",
            "category": "site",
            "attachments": [upload],
        },
    )
    assert response.status_code == 200
    assert reason in " ".join(response.context["form"].errors["attachments"])
    assert Ticket.objects.count() == 0 and Attachment.objects.count() == 0


def test_detail_triad(client, client_for, world, make_ticket):
    ticket = make_ticket()
    url = f"/tickets/{ticket.pk}/"
    assert client.get(url).status_code == 302
    assert client_for(world.users.company2).get(url).status_code == 404
    assert client_for(world.users.nanshan).get(url).status_code == 404
    html = client_for(world.users.company).get(url).content.decode()
    assert "反馈" in html and "2026-10-08" in html or "10-08 18:00" in html


def test_actions_are_forbidden_to_the_wrong_role(client_for, world, make_ticket):
    ticket = make_ticket()
    leader = client_for(world.users.leader)
    assert (
        leader.post(f"/tickets/{ticket.pk}/assign/", {"lead_department": world.eco.pk}).status_code
        == 403
    )
    assert leader.post(f"/tickets/{ticket.pk}/comment/", {"text": "x"}).status_code == 403
    assert leader.post(f"/tickets/{ticket.pk}/bogus/", {}).status_code == 404
    company2 = client_for(world.users.company2)
    assert company2.post(f"/tickets/{ticket.pk}/comment/", {"text": "x"}).status_code == 404


def test_flow_through_the_pages(client_for, world, make_ticket):
    ticket = make_ticket()
    base = f"/tickets/{ticket.pk}"
    client_for(world.users.coordinator).post(
        f"{base}/assign/",
        {"lead_department": world.eco.pk, "cooperating_departments": [world.water.pk]},
    )
    eco = client_for(world.users.approver)
    for m in ("feedback", "path", "progress"):
        assert (
            eco.post(f"{base}/milestone/", {"milestone": m, "text": f"{m} 文本"}).status_code == 302
        )
    eco.post(f"{base}/resolve/", {"text": "已解决"})
    notice = client_for(world.users.coordinator).post(
        f"/supervision/new/ticket/{ticket.pk}/", {"text": "x", "reply_days": 1}
    )
    assert notice.status_code == 403  # a resolved ticket is not supervised any more
    company = client_for(world.users.company)
    company.post(f"{base}/close/", {"satisfaction": 5, "comment": "满意"})
    ticket.refresh_from_db()
    assert ticket.status == "closed" and ticket.satisfaction == 5
    html = company.get(f"{base}/").content.decode()
    assert "满意" in html and "★★★★★" in html


def test_export_is_excel_of_what_the_user_sees(client_for, world, make_ticket):
    from openpyxl import load_workbook

    make_ticket()
    make_ticket(reporter=world.users.coordinator, project=world.project2, title="魏桥的问题")
    response = client_for(world.users.company).get("/tickets/export.xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.max_row == 2 and ws["D2"].value == "施工临时用电报装进度缓慢"


def test_project_filter_and_notices_hidden_from_the_company(
    client_for, world, assigned, make_ticket
):
    make_ticket(reporter=world.users.coordinator, project=world.project2, title="魏桥的问题")
    rows = client_for(world.users.coordinator).get(f"/tickets/?project={world.project2.pk}")
    assert [t.title for t in rows.context["rows"]] == ["魏桥的问题"]
    supervision.issue_notice(subject=assigned, actor=world.users.coordinator, text="请加快")
    page = client_for(world.users.company).get(f"/tickets/{assigned.pk}/")
    assert list(page.context["supervision"]["notices"]) == []
    assert "/supervision/" not in page.content.decode()
    staff = client_for(world.users.leader).get(f"/tickets/{assigned.pk}/")
    assert len(staff.context["supervision"]["notices"]) == 1
