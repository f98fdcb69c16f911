"""统一身份认证 end to end: a real OpenID Connect provider (django-oauth-toolkit, tests/oidc_provider)
runs as a process on a free port; the platform's sign-on page sends the browser there, the
person logs in, the provider's code comes back, the platform exchanges it (PKCE) and maps the
claims to the user, region, department and role."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from greenlight.accounts import signon
from greenlight.accounts.models import SignOnIdentity, User
from greenlight.audit.models import AuditEvent
from greenlight.kernel.roles import Role
from tests import factories as f
from tests.auth import verified_login
from tests.oidc_provider import running

ECO, WATER = "宝安区生态环境局", "宝安区水务局"
BAOAN = {"region_code": "440306"}
USERS = {
    "zhang.wei": {"name": "张伟", "role": "approver", "department": ECO, **BAOAN},
    "li.na": {"name": "李娜", "role": "leader", **BAOAN, "amr": ["pwd", "otp"], "acr": "mfa"},
    "chen.jie": {"name": "陈杰", "role": "approver", "department": ECO, **BAOAN},
    "sun.li": {"name": "孙丽", "role": "coordinator", **BAOAN},
    "zhou.min": {"name": "周敏", "role": "supervisor", **BAOAN},
    "wu.unknown": {"name": "吴某", "role": "approver", "department": "不存在局", **BAOAN},
    "zheng.norole": {"name": "郑某", "department": ECO, **BAOAN},
    "wang.admin": {"name": "王某", "role": "security_admin", **BAOAN},
    "feng.region": {"name": "冯某", "role": "leader", "region_code": "999999"},
    "leader": {"name": "本地领导", "role": "leader", **BAOAN},
}


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    found = running.start(tmp_path_factory.mktemp("oidc"), USERS)
    yield found
    found.stop()


@pytest.fixture
def sso(settings, provider, world):
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    settings.OIDC_MFA_ACR, settings.OIDC_MFA_AMR = [], []
    settings.OIDC_ROLE_MAP = {}
    provider.reset(USERS)
    return provider


def begin(client) -> str:
    """The platform's sign-on page: the provider's authorization URL it sends the browser to."""
    answer = client.get(reverse("accounts:sso_login"))
    assert answer.status_code == 302
    return answer["Location"]


def sign_on(client, username: str):
    """The whole way: platform -> provider (log in) -> platform's callback."""
    return client.get(running.through_provider(begin(client), username))


def actions(**filters) -> list[str]:
    return list(
        AuditEvent.objects.filter(**filters).order_by("id").values_list("action", flat=True)
    )


def approve(username: str, region) -> None:
    security = f.UserFactory(username=f"sec-{username}", role=Role.SECURITY_ADMIN, region=region)
    page = verified_login(Client(), security)
    identity = SignOnIdentity.objects.get(user__username=username)
    assert username in page.get("/account/policy/").content.decode()
    assert page.post("/account/policy/", {"approve": identity.pk}).status_code == 302


def signed_on(client) -> User | None:
    user = client.get("/account/tokens/").wsgi_request.user
    return user if user.is_authenticated else None


def test_a_first_sign_on_waits_for_approval_then_maps_department_and_role(sso, world):
    # given a person the provider knows, never seen here
    client = Client()
    authorize = begin(client)
    params = parse_qs(urlsplit(authorize).query)
    assert authorize.startswith(sso.base + "/o/authorize/")
    assert params["code_challenge_method"] == ["S256"] and params["code_challenge"][0]
    assert params["state"][0] and params["nonce"][0]
    # when they sign on the first time
    answer = client.get(running.through_provider(authorize, "zhang.wei"), follow=True)
    # then they wait, inactive, mapped to the department and role the provider gave
    assert "等待安全管理员审批" in answer.content.decode()
    user = User.objects.get(username="zhang.wei")
    assert not user.is_active and not user.has_usable_password()
    assert (user.role, user.department, user.region, user.person) == (
        Role.APPROVER,
        world.eco,
        world.baoan,
        "张伟",
    )
    assert signed_on(client) is None
    assert actions(object_id=str(user.pk)) == ["user_created", "sso_pending"]
    # when the security administrator approves on the policy page, and they sign on again
    approve("zhang.wei", world.baoan)
    answer = sign_on(client, "zhang.wei")
    # then the session opens and the platform's own second factor comes next
    assert answer.status_code == 302 and answer["Location"] == "/"
    assert signed_on(client) == user
    assert client.get("/").url == reverse("accounts:mfa_setup")
    assert actions(object_id=str(user.pk))[-3:] == ["sso_approved", "login", "sso_login"]


def test_the_providers_mfa_stands_in_for_totp_only_when_configured(sso, world, settings):
    client = Client()
    sign_on(client, "li.na")
    approve("li.na", world.baoan)
    # not configured: the provider's amr is not trusted, TOTP is asked
    sign_on(client, "li.na")
    assert client.get("/").url == reverse("accounts:mfa_setup")
    # configured: an amr of "otp" is the second factor
    settings.OIDC_MFA_AMR = ["otp"]
    client = Client()
    sign_on(client, "li.na")
    assert client.get("/").status_code == 200
    event = AuditEvent.objects.filter(action="sso_login").latest("id")
    assert event.changes == {"second_factor": "provider"}
    # an acr the platform does not list is no second factor
    settings.OIDC_MFA_AMR, settings.OIDC_MFA_ACR = [], ["urn:gd:loa:3"]
    client = Client()
    sign_on(client, "li.na")
    assert client.get("/").url == reverse("accounts:mfa_setup")


@pytest.mark.parametrize(
    ("username", "reason", "text"),
    [
        ("wu.unknown", "department", "本平台没有部门 不存在局"),
        ("zheng.norole", "role", "未提供该账号的角色"),
        ("wang.admin", "role", "角色 security_admin 不能由身份认证服务授予"),
        ("feng.region", "region", "行政区划代码 999999"),
    ],
)
def test_claims_that_do_not_fit_are_refused_naming_why(sso, username, reason, text):
    client = Client()
    answer = sign_on(client, username)
    assert answer["Location"] == reverse("login")
    assert text in client.get(answer["Location"]).content.decode()
    assert not User.objects.filter(username=username).exists()
    event = AuditEvent.objects.filter(action="sso_refused").latest("id")
    assert (event.outcome, event.changes["reason"]) == ("failure", reason)
    assert event.changes["username"] == username


def test_an_existing_local_account_is_linked_only_once_approved(sso, world):
    local = world.users.leader
    client = Client()
    sign_on(client, "leader")
    assert signed_on(client) is None
    assert SignOnIdentity.objects.get(user=local).pending
    security = f.UserFactory(username="sec-link", role=Role.SECURITY_ADMIN, region=world.baoan)
    page = verified_login(Client(), security).get("/account/policy/").content.decode()
    assert "已有本地账号" in page and "统一身份认证给出的角色为 leader" in page
    approve("leader", world.baoan)
    sign_on(client, "leader")
    assert signed_on(client) == local


def test_a_user_disabled_at_the_provider_or_here_is_refused(sso, world):
    client = Client()
    sign_on(client, "sun.li")
    approve("sun.li", world.baoan)
    sign_on(client, "sun.li")
    user = User.objects.get(username="sun.li")
    assert signed_on(client) == user
    # disabled at the provider: refused, and disabled here too
    sso.set_claims("sun.li", active=False)
    other = Client()
    answer = sign_on(other, "sun.li")
    assert "已在身份认证服务停用" in other.get(answer["Location"]).content.decode()
    user.refresh_from_db()
    assert not user.is_active and signed_on(other) is None
    # the session opened before is gone too
    assert signed_on(client) is None
    # enabled again at the provider: still disabled here until the security administrator acts
    sso.set_claims("sun.li", active=True)
    answer = sign_on(other, "sun.li")
    assert "已在本平台停用" in other.get(answer["Location"]).content.decode()
    reasons = AuditEvent.objects.filter(action="sso_refused").values_list("changes", flat=True)
    assert [r["reason"] for r in reasons] == ["disabled_at_provider", "disabled"]


def test_a_role_and_department_change_at_the_provider_applies_at_the_next_sign_on(sso, world):
    client = Client()
    sign_on(client, "chen.jie")
    approve("chen.jie", world.baoan)
    sign_on(client, "chen.jie")
    user = User.objects.get(username="chen.jie")
    assert (user.role, user.department) == (Role.APPROVER, world.eco)
    # when the provider moves them to the water bureau, then makes them a leader
    sso.set_claims("chen.jie", department=WATER)
    sign_on(Client(), "chen.jie")
    user.refresh_from_db()
    assert (user.role, user.department) == (Role.APPROVER, world.water)
    sso.set_claims("chen.jie", role="leader", department="")
    sign_on(Client(), "chen.jie")
    user.refresh_from_db()
    assert (user.role, user.department) == (Role.LEADER, None)
    changes = [
        e.changes for e in AuditEvent.objects.filter(action="user_changed", object_id=str(user.pk))
    ]
    assert changes[0]["department"] == [ECO, WATER]
    assert changes[1]["role"] == ["approver", "leader"] and changes[1]["source"] == "sign-on"


def test_the_provider_role_names_map_through_the_settings(sso, world, settings):
    settings.OIDC_ROLE_MAP = {"督查人员": "supervisor"}
    sso.set_claims("zhou.min", role=["其他", "督查人员"])
    sign_on(Client(), "zhou.min")
    assert User.objects.get(username="zhou.min").role == Role.SUPERVISOR


def test_a_bad_state_or_a_replayed_answer_is_refused(sso, world):
    client = Client()
    callback = running.through_provider(begin(client), "zhou.min")
    forged = callback.replace("state=", "state=forged")
    assert client.get(forged)["Location"] == reverse("login")
    # the right answer once (pending), then the same answer again: its state is spent
    client.get(callback)
    assert User.objects.filter(username="zhou.min").exists()
    assert client.get(callback)["Location"] == reverse("login")
    reasons = [
        e.changes["reason"]
        for e in AuditEvent.objects.filter(action__in=["sso_refused", "sso_pending"])
    ]
    assert reasons == ["state", "pending", "state"]


def test_a_bad_nonce_or_a_missing_pkce_verifier_is_refused(sso, world):
    # given a nonce changed in the session: the ID token's nonce no longer matches
    client = Client()
    callback = running.through_provider(begin(client), "zhou.min")
    session = client.session
    state = parse_qs(urlsplit(callback).query)["state"][0]
    session["oidc_states"][state]["nonce"] = "not-the-one-sent"
    session.save()
    answer = client.get(callback, follow=True)
    assert "未通过校验" in answer.content.decode() and signed_on(client) is None
    # given the PKCE verifier lost: the provider refuses the code
    client = Client()
    callback = running.through_provider(begin(client), "zhou.min")
    session = client.session
    session["oidc_states"][parse_qs(urlsplit(callback).query)["state"][0]]["code_verifier"] = (
        "x" * 64
    )
    session.save()
    answer = client.get(callback, follow=True)
    assert "拒绝了授权码" in answer.content.decode()
    reasons = [e.changes["reason"] for e in AuditEvent.objects.filter(action="sso_refused")]
    assert reasons == ["nonce", "provider"]
    assert not User.objects.filter(username="zhou.min").exists()


def test_a_provider_error_is_refused_and_shown(sso, world):
    client = Client()
    state = parse_qs(urlsplit(begin(client)).query)["state"][0]
    answer = client.get(
        reverse("accounts:sso_callback"), {"error": "access_denied", "state": state}
    )
    assert answer["Location"] == reverse("login")
    assert "access_denied" in client.get(reverse("login")).content.decode()
    assert state not in client.session.get("oidc_states", {})


def test_without_configuration_there_is_no_button_and_nothing_breaks(db, settings):
    settings.OIDC_ENABLED = False
    page = Client().get(reverse("login")).content.decode()
    assert "统一身份认证登录" not in page
    assert Client().get(reverse("accounts:sso_login")).status_code == 404
    assert (
        Client().get(reverse("accounts:sso_callback"), {"code": "x", "state": "y"}).status_code
        == 404
    )
    # the password login never reaches the sign-on backend
    f.UserFactory(username="local", role=Role.COMPANY)
    assert Client().post(reverse("login"), {"username": "local", "password": "pw-for-tests"})[
        "Location"
    ] == reverse("home")


def test_with_configuration_the_login_page_offers_it(sso):
    page = Client().get(reverse("login")).content.decode()
    assert "统一身份认证登录" in page and reverse("accounts:sso_login") in page


def test_pending_identities_are_the_security_administrators_of_the_region_only(sso, world):
    sign_on(Client(), "zhou.min")
    ours = f.UserFactory(username="sec-ours", role=Role.SECURITY_ADMIN, region=world.baoan)
    theirs = f.UserFactory(username="sec-ns", role=Role.SECURITY_ADMIN, region=world.nanshan)
    assert [i.user.username for i in signon.pending_identities(ours)] == ["zhou.min"]
    assert not signon.pending_identities(theirs).exists()
    assert not signon.pending_identities(world.users.coordinator).exists()
    identity = SignOnIdentity.objects.get()
    page = verified_login(Client(), theirs)
    page.post("/account/policy/", {"approve": identity.pk})
    identity.refresh_from_db()
    assert identity.pending
    assert (
        verified_login(Client(), world.users.admin)
        .post("/account/policy/", {"approve": identity.pk})
        .status_code
        == 403
    )


def test_an_id_token_of_another_issuer_is_refused(sso, world, settings):
    # given the platform expects another issuer than the one signing the tokens
    settings.OIDC_OP_ISSUER = sso.issuer + "/elsewhere"
    client = Client()
    answer = sign_on(client, "zhou.min")
    assert answer["Location"] == reverse("login") and signed_on(client) is None
    event = AuditEvent.objects.get(action="sso_refused")
    assert event.changes["reason"] == "issuer"
    assert not User.objects.filter(username="zhou.min").exists()
