"""The register, a catalog change through an item, and the printable reference."""

import pytest

from greenlight.catalog import seeding
from greenlight.catalog.models import Matter
from greenlight.reforms import services

from .conftest import expect, login

pytestmark = pytest.mark.django_db(transaction=True)


def test_register_item_change_and_reference(live_server, page, shot, world):
    seeding.load_catalog()
    seeding.seed_departments(world.baoan)
    item = services.create_item(
        region=world.baoan,
        data={
            "document": "《宝安区施工图审查办理规程》",
            "finding": "施工图审查承诺时限长于同类事项",
            "kind": "immediate",
            "owner_department": world.eco.pk,
            "due": "2025-06-30",
        },
        actor=world.users.coordinator,
    )
    base = live_server.url
    login(page, base, "coordinator")
    page.goto(f"{base}/reforms/items/{item.pk}/")
    hs01 = Matter.objects.get(code="HS-01")
    page.select_option("#id_matter", str(hs01.pk))
    page.fill("#id_limit", "7")
    page.get_by_role("button", name="更新事项目录").click()
    page.wait_for_load_state()
    expect(page.get_by_text("事项目录已更新")).to_be_visible()
    assert "HS-01" in page.locator("table.grid").inner_text()
    shot("reforms-item")
    page.goto(f"{base}/reforms/")
    assert page.get_by_text("共 1 项，立行立改 1 项").is_visible()
    shot("reforms-register")
    page.goto(f"{base}/reforms/changes/")
    shot("reforms-changes")
    # the reference, as a company sees it, with its table of contents
    page.context.clear_cookies()
    login(page, base, "company1")
    page.goto(f"{base}/reforms/reference/")
    assert page.get_by_role("heading", name="一、定义与阶段").is_visible()
    assert page.get_by_text("建设工程方案设计核查").first.is_visible()
    shot("reforms-reference")
    page.emulate_media(media="print")
    shot("reforms-reference-print")
