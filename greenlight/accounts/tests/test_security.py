"""Identity of 等保 level 3: password policy and expiry, lockout (account and address), idle
timeout and logout, the second factor, expiring tokens, 三员分立 and what the trail records."""

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from greenlight.accounts import services
from greenlight.accounts.models import ApiToken, User
from greenlight.audit.models import AuditEvent
from greenlight.kernel.roles import Role
from tests import factories as f
from tests.auth import verified_login

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests"


def _code(device: TOTPDevice, *, drift: int = 0) -> str:
    return str(totp(device.bin_key, step=device.step, t0=device.t0, drift=drift)).zfill(6)


def _post_login(client, username, password, ip="10.1.1.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


# -- password policy ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Ab1!", "至少"),  # too short
        ("11111111", "至少"),  # one class only
        ("password", "至少"),
        ("12345678", "至少"),
        ("Password1", "常见"),  # common
        ("Company1-x", "用户名"),  # contains the user name
    ],
)
def test_the_password_policy_refuses_weak_passwords_naming_the_reason(world, password, reason):
    user = User(username="company1")
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    text = " ".join(refused.value.messages)
    assert text.startswith("密码") and reason in text


def test_the_demos_documented_password_meets_the_policy():
    from greenlight.demo.district import PASSWORD as DEMO

    validate_password(DEMO, User(username="coordinator"))


def test_an_expired_password_must_be_changed_first(world):
    # given a company user whose password is 91 days old
    user = world.users.company
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    client = verified_login(Client(), user)
    # then every page sends them to the change page, the API refuses naming the field
    assert client.get("/projects/").url == "/account/password/"
    api = client.get("/api/v1/me")
    assert api.status_code == 403 and api.json()["detail"][0]["loc"] == ["password"]
    # when they choose a new one
    response = client.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Xin-Mima-2026",
            "new_password2": "Xin-Mima-2026",
        },
    )
    assert response.status_code == 302
    # then the pages open again and the trail has it
    assert client.get("/projects/").status_code == 200
    assert AuditEvent.objects.filter(action="password_changed", actor=user).exists()


def test_the_change_page_refuses_a_weak_password_in_chinese(world):
    client = verified_login(Client(), world.users.company)
    response = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert "密码：" in response.content.decode()


# -- lockout -----------------------------------------------------------------------------------


def test_five_failures_lock_the_account_even_for_the_right_password(world):
    client = Client()
    for _ in range(4):
        assert _post_login(client, "company1", "wrong").status_code == 200
    # the fifth failure locks
    assert _post_login(client, "company1", "wrong").status_code == 403
    # then the right password is refused, with the platform's message
    response = _post_login(client, "company1", PASSWORD)
    assert response.status_code == 403
    body = response.content.decode()
    assert "锁定" in body and "15" in body
    assert "_auth_user_id" not in client.session
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("login_failed") >= 5 and "lockout" in actions


def test_the_lock_is_per_address_too(world):
    # given five failures from one address on five different accounts
    for name in ("a1", "a2", "a3", "a4", "a5"):
        _post_login(Client(), name, "wrong", ip="10.9.9.9")
    # then a sixth account is refused from that address, not from another
    assert _post_login(Client(), "company1", PASSWORD, ip="10.9.9.9").status_code == 403
    assert _post_login(Client(), "company1", PASSWORD, ip="10.2.2.2").status_code == 302


def test_the_lock_ends_after_15_minutes(world):
    from axes.models import AccessAttempt

    for _ in range(5):
        _post_login(Client(), "company1", "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _post_login(Client(), "company1", PASSWORD).status_code == 302


def test_the_security_administrator_sees_and_lifts_a_lock(world):
    security = f.UserFactory(username="security", role=Role.SECURITY_ADMIN, region=world.baoan)
    for _ in range(5):
        _post_login(Client(), "company1", "wrong")
    client = verified_login(Client(), security)
    page = client.get("/account/locks/").content.decode()
    assert "company1" in page
    # others may not see the locks
    assert verified_login(Client(), world.users.admin).get("/account/locks/").status_code == 403
    # when lifted
    client.post("/account/locks/lift/", {"kind": "username", "value": "company1"})
    client.post("/account/locks/lift/", {"kind": "ip", "value": "10.1.1.1"})
    # then the right password works again, and the trail has the lifting
    assert _post_login(Client(), "company1", PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(action="lock_lifted", actor=security).count() == 2


# -- sessions ----------------------------------------------------------------------------------


def test_sessions_end_after_30_idle_minutes_and_at_browser_close(settings, world):
    import time

    from greenlight.accounts.middleware import SEEN

    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    client = Client()
    _post_login(client, "company1", PASSWORD)
    # 29 idle minutes: still in
    session = client.session
    session[SEEN] = time.time() - 29 * 60
    session.save()
    assert client.get("/projects/").status_code == 200
    # 31 idle minutes: logged out, and the trail says why
    session = client.session
    session[SEEN] = time.time() - 31 * 60
    session.save()
    assert client.get("/projects/").url.startswith("/login/")
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="session_expired").exists()


def test_an_idle_session_is_refused(world):
    from django.contrib.sessions.models import Session

    client = Client()
    assert _post_login(client, "company1", PASSWORD).status_code == 302
    assert client.get("/projects/").status_code == 200
    # when 31 minutes pass without a request
    Session.objects.update(expire_date=timezone.now() - timedelta(minutes=1))
    # then the next request goes to the login page
    assert client.get("/projects/").url.startswith("/login/")


def test_logout_clears_the_server_session(world):
    from django.contrib.sessions.models import Session

    client = Client()
    _post_login(client, "company1", PASSWORD)
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    client.post("/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    assert AuditEvent.objects.filter(action="logout", actor=world.users.company).exists()


# -- second factor -----------------------------------------------------------------------------


def test_staff_without_a_device_must_enrol_before_anything_else(world):
    client = Client()
    assert _post_login(client, "approver", PASSWORD).url == "/"
    assert client.get("/projects/").url == "/account/mfa/"
    assert client.get("/api/v1/me").status_code == 403
    page = client.get("/account/mfa/")
    assert b"<svg" in page.content
    device = TOTPDevice.objects.get(user=world.users.approver, confirmed=False)
    # a wrong code is refused, naming the field
    wrong = client.post(
        "/account/mfa/", {"otp": "000000" if _code(device) != "000000" else "111111"}
    )
    assert "动态口令" in wrong.content.decode()
    # (django-otp then makes the next guess wait a second: let it pass)
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=5)
    )
    # when confirmed with the current code
    assert client.post("/account/mfa/", {"otp": _code(device)}).status_code == 302
    # then the pages open and the trail has the enrolment
    assert client.get("/projects/").status_code == 200
    assert AuditEvent.objects.filter(action="mfa_enrolled", actor=world.users.approver).exists()


def test_an_enrolled_user_gives_the_code_before_any_session_opens(world):
    device = TOTPDevice.objects.create(user=world.users.approver, name="phone", confirmed=True)
    client = Client()
    response = _post_login(client, "approver", PASSWORD)
    assert response.url == "/account/login/verify/"
    assert "_auth_user_id" not in client.session  # the password alone opened nothing
    assert client.get("/projects/").url.startswith("/login/")
    bad = client.post("/account/login/verify/", {"otp": "12345"})
    assert "动态口令" in bad.content.decode()
    assert client.post("/account/login/verify/", {"otp": _code(device)}).status_code == 302
    assert client.get("/projects/").status_code == 200
    actions = set(
        AuditEvent.objects.filter(actor=world.users.approver).values_list("action", flat=True)
    )
    assert {"login", "mfa_verified"} <= actions


def test_a_wrong_code_is_recorded_as_a_failure(world):
    device = TOTPDevice.objects.create(user=world.users.approver, name="phone", confirmed=True)
    client = Client()
    _post_login(client, "approver", PASSWORD)
    wrong = "000000" if _code(device) != "000000" else "111111"
    client.post("/account/login/verify/", {"otp": wrong})
    assert AuditEvent.objects.filter(action="mfa_failed", outcome="failure").exists()


def test_companies_need_a_second_factor_only_where_their_region_asks(world):
    company = world.users.company
    assert not company.mfa_required
    world.baoan.settings = {"mfa_companies": True}
    world.baoan.save()
    company.refresh_from_db()
    assert company.mfa_required
    for role in ("admin", "supervisor", "approver", "coordinator", "leader"):
        assert getattr(world.users, role).mfa_required


# -- tokens ------------------------------------------------------------------------------------


def _bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_tokens_expire_after_90_days_by_default(world):
    token, raw = services.issue_token(user=world.users.company, actor=world.users.company)
    assert (token.expires_at - timezone.now()).days in (89, 90)
    assert Client().get("/api/v1/me", **_bearer(raw)).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get("/api/v1/me", **_bearer(raw)).status_code == 401


def test_owners_list_and_revoke_their_tokens_and_the_trail_has_both(world):
    client = verified_login(Client(), world.users.company)
    page = client.post("/account/tokens/", {"name": "报表"}).content.decode()
    token = ApiToken.objects.get(user=world.users.company)
    assert token.prefix in page
    # another user neither lists nor revokes it
    other = verified_login(Client(), world.users.company2)
    assert token.prefix not in other.get("/account/tokens/").content.decode()
    assert other.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    client.post(f"/account/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked
    assert {"token_created", "token_revoked"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )


def test_the_security_administrator_lists_and_revokes_every_token_of_the_region(world):
    security = f.UserFactory(username="security", role=Role.SECURITY_ADMIN, region=world.baoan)
    token, _raw = services.issue_token(user=world.users.company, actor=world.users.company)
    client = verified_login(Client(), security)
    assert token.prefix in client.get("/account/tokens/").content.decode()
    client.post(f"/account/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked


# -- 三员分立 --------------------------------------------------------------------------------


def test_no_superuser_can_be_made(world):
    with pytest.raises(ValidationError):
        User.objects.create_superuser("root", password="Xin-Mima-2026")
    user = world.users.admin
    user.is_superuser = True
    with pytest.raises(ValidationError):
        user.save()


def test_the_three_administrators_hold_separate_rights(world):
    security = f.UserFactory(username="security", role=Role.SECURITY_ADMIN, region=world.baoan)
    auditor = f.UserFactory(username="auditor", role=Role.AUDIT_ADMIN, region=world.baoan)
    admin = world.users.admin
    # the system administrator: the catalog, not users, not the trail
    assert admin.has_perm("catalog.change_matter") and admin.has_perm("accounts.change_region")
    assert not admin.has_perm("accounts.change_user") and not admin.has_perm(
        "audit.view_auditevent"
    )
    # the security administrator: users, not the catalog, not the trail
    assert security.has_perm("accounts.change_user") and not security.has_perm(
        "catalog.change_matter"
    )
    assert not security.has_perm("audit.view_auditevent")
    # the audit administrator: nothing in the admin but reading the trail
    assert not auditor.has_perm("accounts.change_user") and not auditor.has_perm(
        "catalog.change_matter"
    )
    assert verified_login(Client(), auditor).get("/audit/").status_code == 200
    for user in (admin, security):
        assert verified_login(Client(), user).get("/audit/").status_code == 403
    # neither the security nor the audit administrator reads the projects' data
    from greenlight.projects.models import Project

    assert Project.objects.visible_to(admin).exists()
    for user in (security, auditor):
        assert not Project.objects.visible_to(user).exists()
        assert (
            verified_login(Client(), user).get(f"/projects/{world.project1.pk}/").status_code == 404
        )


def _staff_client(user):
    user.is_staff = True
    user.save()
    return verified_login(Client(), user)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/approvals/approval/{approval}/change/",
        "/admin/projects/project/{project}/change/",
    ],
)
def test_the_admin_is_read_only_for_workflow_models(world, url):
    client = _staff_client(world.users.admin)
    target = url.format(approval=world.approval1.pk, project=world.project1.pk)
    page = client.get(target)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    response = client.post(target, {"status": "granted"})
    assert response.status_code == 403
    world.approval1.refresh_from_db()
    assert world.approval1.status != "granted"


def test_an_admin_write_is_audited_with_its_change(world):
    security = f.UserFactory(username="security", role=Role.SECURITY_ADMIN, region=world.baoan)
    client = _staff_client(security)
    company = world.users.company
    response = client.post(
        f"/admin/accounts/user/{company.pk}/change/",
        {
            "username": company.username,
            "last_name": "",
            "first_name": "",
            "email": "",
            "role": "coordinator",
            "region": world.baoan.pk,
            "department": "",
            "organization": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="user_changed")
    assert event.actor == security and event.changes["role"] == ["company", "coordinator"]
    assert AuditEvent.objects.filter(action="admin_changed", actor=security).exists()


def test_the_security_administrator_sets_the_companies_policy_and_resets_a_factor(world):
    security = f.UserFactory(username="security", role=Role.SECURITY_ADMIN, region=world.baoan)
    client = verified_login(Client(), security)
    assert client.get("/account/policy/").status_code == 200
    client.post("/account/policy/", {"region": world.baoan.pk, "mfa_companies": "on"})
    world.users.company.refresh_from_db()
    world.baoan.refresh_from_db()
    assert world.baoan.settings["mfa_companies"] and world.users.company.mfa_required
    TOTPDevice.objects.create(user=world.users.approver, name="phone", confirmed=True)
    client.post("/account/policy/", {"username": "approver"})
    assert not TOTPDevice.objects.filter(user=world.users.approver).exists()
    assert {"mfa_policy_changed", "mfa_reset"} <= set(
        AuditEvent.objects.filter(actor=security).values_list("action", flat=True)
    )
    # nobody else sets the policy
    other = verified_login(Client(), world.users.admin)
    assert other.post("/account/policy/", {"region": world.baoan.pk}).status_code == 403
