"""The runs page and API: the coordinator's region only, with the failed rows and reasons."""

from __future__ import annotations

import pytest

from greenlight.exchange import services

from .helpers import CODE2, project_row, seed


@pytest.fixture
def failed_run(world):
    seed(world)
    data = (f"XMDM,XMMC,ZTZE,DWTYSHXYDM\n{CODE2},新项目,abc,{world.org2.credit_code}\n").encode()
    return services.import_file(data=data, name="xm.csv", actor=world.users.coordinator)


def test_coordinator_sees_the_run_and_its_failed_row(world, failed_run, client_for):
    client = client_for(world.users.coordinator)
    listing = client.get("/exchange/")
    detail = client.get(f"/exchange/runs/{failed_run.pk}/")
    assert listing.status_code == 200 and "xm.csv" in listing.content.decode()
    assert detail.status_code == 200
    html = detail.content.decode()
    assert "ZTZE" in html and "SPGL_XMJBXXB" in html and failed_run.rows.get().reason in html
    api = client.get("/api/v1/exchange/runs").json()
    assert [r["id"] for r in api] == [failed_run.pk] and api[0]["failed"] == 1
    one = client.get(f"/api/v1/exchange/runs/{failed_run.pk}", {"outcome": "failed"}).json()
    assert one["rows"][0]["field"] == "ZTZE" and one["rows"][0]["number"] == 2


def test_another_districts_coordinator_cannot_see_the_run(world, failed_run, client_for):
    client = client_for(world.users.nanshan)
    assert client.get(f"/exchange/runs/{failed_run.pk}/").status_code == 404
    assert client.get(f"/api/v1/exchange/runs/{failed_run.pk}").status_code == 404
    assert client.get("/api/v1/exchange/runs").json() == []
    assert "xm.csv" not in client.get("/exchange/").content.decode()


@pytest.mark.parametrize("role", ["company", "approver", "leader", "supervisor"])
def test_other_roles_are_refused(world, failed_run, client_for, role):
    client = client_for(getattr(world.users, role))
    assert client.get("/exchange/").status_code == 403
    assert client.get(f"/exchange/runs/{failed_run.pk}/").status_code == 403
    assert client.get("/api/v1/exchange/runs").status_code == 403


def test_upload_on_the_page_and_a_bad_file(world, client_for):
    seed(world)
    client = client_for(world.users.coordinator)
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = ",".join(project_row(world)) + "\n" + ",".join(project_row(world).values()) + "\n"
    good = SimpleUploadedFile("xm.csv", body.encode(), content_type="text/csv")
    answer = client.post("/exchange/", {"file": good})
    assert answer.status_code == 302
    bad = SimpleUploadedFile("xm.txt", b"hello", content_type="text/plain")
    refused = client.post("/exchange/", {"file": bad})
    assert refused.status_code == 400 and "JSON" in refused.content.decode()


def test_an_english_upload_reads_in_english(world, client_for, settings):
    # given a coordinator who chose English
    seed(world)
    client = client_for(world.users.coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = f"XMDM,XMMC,ZTZE,DWTYSHXYDM\n{CODE2},新项目,abc,{world.org2.credit_code}\n"
    upload = SimpleUploadedFile("xm.csv", body.encode(), content_type="text/csv")
    # when a file with a bad row is uploaded
    answer = client.post("/exchange/", {"file": upload}, follow=True)
    # then the run's page names the row, the field and the reason in English
    html = answer.content.decode()
    assert "Failed rows" in html and "must be a number" in html and "ZTZE 总投资额（万元）" in html
    assert "1 failed" in html
