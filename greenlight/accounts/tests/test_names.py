"""People are shown by name and office (姓名 · 部门), never by their login."""

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_person_is_shown_with_name_and_office(world):
    # given
    approver = world.users.approver
    approver.last_name, approver.first_name = "陈", "静"
    company = world.users.company
    company.last_name, company.first_name = "王", "强"
    # then
    assert approver.display_name == "陈静 · " + world.eco.short_name
    assert company.display_name == "王强 · 鹏鼎控股（深圳）股份有限公司"


def test_without_a_name_the_login_stands_in_and_the_role_is_the_office(world):
    user = f.UserFactory(username="li", role="leader", region=world.baoan)
    assert user.display_name.startswith("li · ")
    assert user.display_name != "li · leader"


def test_the_header_shows_the_name_not_the_login(world, client_for):
    coordinator = world.users.coordinator
    coordinator.last_name, coordinator.first_name = "李", "明"
    coordinator.save()
    page = client_for(coordinator).get("/").content.decode()
    assert "李明 · " in page and "欢迎，李明" in page
    assert "coordinator" not in page.split("<main")[0].split('class="who"')[1][:80]
