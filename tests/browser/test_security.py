"""Identity and the trail in the browser: the login's second step, the lockout message, the
audit page (these make the screenshots of docs/security.md)."""

import base64

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from greenlight.kernel.roles import Role
from tests import factories as f

from .conftest import login, totp_code, unused_code

pytestmark = pytest.mark.django_db(transaction=True)


def _password(page, base, username, password="pw-for-tests"):
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def test_enrolment_then_the_second_step_of_the_login(live_server, page, shot, world):
    # when an approver logs in for the first time: the enrolment page with its QR code
    _password(page, live_server.url, "approver")
    assert page.url.endswith("/account/mfa/")
    assert page.locator(".qr svg").count() == 1
    shot("mfa-enrol")
    secret = page.get_attribute("#totp-secret", "data-secret")
    page.fill("input[name=otp]", totp_code(base64.b32decode(secret)))
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/"
    page.click("header button[type=submit]")  # log out
    page.wait_for_load_state()
    # then the next login asks for the code after the password
    _password(page, live_server.url, "approver")
    assert page.url.endswith("/account/login/verify/")
    assert page.get_by_text("第二因素").first.is_visible()
    device = TOTPDevice.objects.get(user__username="approver", confirmed=True)
    # the enrolment's code may not serve twice (django-otp refuses a replay): the next one
    page.fill("input[name=otp]", unused_code(device))
    shot("login-mfa")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/"


def test_the_lockout_message(live_server, page, shot, world):
    for _ in range(5):
        _password(page, live_server.url, "company1", "wrong-password")
    _password(page, live_server.url, "company1")  # the right one, refused while locked
    message = page.locator("#lockout")
    assert message.is_visible() and "锁定" in message.inner_text()
    shot("login-lockout")


def test_the_audit_page_searches_and_verifies(live_server, page, shot, world):
    f.UserFactory(username="auditor", role=Role.AUDIT_ADMIN, region=world.baoan)
    for _ in range(2):
        _password(page, live_server.url, "company1", "wrong-password")
    login(page, live_server.url, "auditor")
    page.goto(f"{live_server.url}/audit/?verify=1")
    assert "完整" in page.locator("#verify-result").inner_text()
    assert page.locator("table.grid tbody tr").count() >= 3
    page.fill("input[name=actor]", "auditor")
    page.click("form.filters button.primary")
    page.wait_for_load_state()
    assert page.get_by_text("绑定身份验证器").first.is_visible()
    page.goto(f"{live_server.url}/audit/?verify=1")
    shot("audit-trail")
