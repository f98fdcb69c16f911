"""Signing on through the provincial identity service (统一身份认证, 粤政易 for staff): the
provider's claims made into the platform's user, region, department and role; a first sign-on
waits for the security administrator; a user disabled at the provider or here is refused; a
change of role or department at the provider is applied at the next sign-on. Every outcome is
told to the audit trail. The OpenID Connect protocol itself is in `oidc.py`."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlight.kernel.roles import Role

from .models import Department, Region, SignOnIdentity, User
from .services import FAILURE, tell

# The roles the provider may give. The three administrators (三员) and the companies are kept
# by the platform itself: a provider cannot make anyone a security administrator.
SIGN_ON_ROLES = (Role.COORDINATOR, Role.APPROVER, Role.LEADER, Role.SUPERVISOR)
WATCHED = ("role", "region", "department", "last_name", "first_name", "email")
FALSE = {"false", "0", "no", "off", "disabled", "inactive"}


class Refused(Exception):
    """A sign-on refused: `reason` is a short code for the trail, `message` the user's text."""

    def __init__(self, reason: str, message: str, *, user: User | None = None, claims=None):
        super().__init__(f"{reason}: {message}")
        self.reason, self.message, self.user = reason, message, user
        self.claims = claims or {}


@dataclass(frozen=True)
class Profile:
    """What the provider says about a person, in the platform's terms."""

    subject: str
    username: str
    last_name: str
    first_name: str
    email: str
    role: str
    region: Region
    department: Department | None
    active: bool

    def fields(self) -> dict:
        return {f: getattr(self, f) for f in WATCHED}


def claim(claims: dict, key: str):
    """The value of the claim configured for `key` (settings.OIDC_CLAIMS)."""
    return claims.get(settings.OIDC_CLAIMS[key])


def _summary(claims: dict) -> dict:
    keep = ("username", "role", "region", "department", "active")
    return {"sub": claims.get("sub", "")} | {k: claim(claims, k) for k in keep}


def _text(value) -> str:
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value or "").strip()


def _role(claims: dict) -> str:
    values = claim(claims, "role")
    values = values if isinstance(values, list | tuple) else [values]
    names = [_text(v) for v in values if _text(v)]
    if not names:
        raise Refused("role", _("Sign-on: the identity service gave no role for this account."))
    for name in names:
        role = settings.OIDC_ROLE_MAP.get(name, name)
        if role in SIGN_ON_ROLES:
            return role
    raise Refused(
        "role",
        _("Sign-on: role %(role)s cannot be given by the identity service.")
        % {"role": "、".join(names)},
    )


def _region(claims: dict) -> Region | None:
    code = _text(claim(claims, "region"))
    if not code:
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Refused(
            "region", _("Sign-on: division code %(code)s is not a region here.") % {"code": code}
        )
    return region


def _department(name: str, region: Region | None) -> Department | None:
    if not name:
        return None
    found = Department.objects.filter(name=name) | Department.objects.filter(short_name=name)
    if region is not None:
        found = found.filter(region=region)
    found = list(found.select_related("region")[:2])
    if len(found) != 1:
        raise Refused(
            "department",
            _("Sign-on: department %(name)s is not known here.") % {"name": name},
        )
    return found[0]


def _active(claims: dict) -> bool:
    value = claim(claims, "active")
    if value is None:
        return True
    return value is not False and str(value).strip().lower() not in FALSE


def read_claims(claims: dict) -> Profile:
    """The provider's claims as a Profile; Refused naming the claim that does not fit."""
    subject, username = _text(claims.get("sub")), _text(claim(claims, "username"))
    if not subject or not username:
        raise Refused("username", _("Sign-on: the identity service gave no account name."))
    role = _role(claims)
    department_name = _text(claim(claims, "department"))
    region = _region(claims)
    department = _department(department_name, region)
    region = region or (department.region if department else None)
    if region is None:
        raise Refused("region", _("Sign-on: the identity service gave no region or department."))
    if role == Role.APPROVER and department is None:
        raise Refused("department", _("Sign-on: an approver needs a department."))
    name = _text(claim(claims, "name"))
    return Profile(
        subject=subject,
        username=username[:150],
        # The whole name in one field: a family name cannot be told apart (欧阳, 司马).
        last_name=name[:150],
        first_name="",
        email=_text(claim(claims, "email"))[:254],
        role=role,
        region=region,
        department=department,
        active=_active(claims),
    )


def sign_on(*, issuer: str, claims: dict) -> User:
    """The user the provider's claims sign on as, their role and department brought up to date;
    Refused (told to the trail by `refused`) when pending, disabled or not mappable."""
    summary = _summary(claims)
    try:
        profile = read_claims(claims)
    except Refused as refusal:
        refusal.claims = summary
        raise
    with transaction.atomic():
        identity, refusal = _admit(issuer=issuer, profile=profile, summary=summary)
    if refusal is not None:
        raise refusal
    return identity.user


def _admit(*, issuer: str, profile: Profile, summary: dict):
    """(identity, None) when the user may sign on, else (identity, Refused); writes kept."""
    identity = (
        SignOnIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=issuer, subject=profile.subject)
        .first()
    )
    if identity is None:
        identity = _enrol(issuer=issuer, profile=profile, summary=summary)
        if identity is None:
            return None, Refused(
                "username",
                _("Sign-on: account name %(u)s belongs to another sign-on identity.")
                % {"u": profile.username},
                claims=summary,
            )
    identity.claims = summary
    identity.save(update_fields=["claims"])
    user = identity.user
    if not profile.active:
        if user.is_active and not identity.pending:
            _disable(user)
        return identity, Refused(
            "disabled_at_provider",
            _("Sign-on: this account is disabled at the identity service."),
            user=user,
            claims=summary,
        )
    if identity.pending:
        message = _("Sign-on: your account waits for the security administrator's approval.")
        return identity, Refused("pending", message, user=user, claims=summary)
    if not user.is_active:
        message = _("Sign-on: this account is disabled here; ask the security administrator.")
        return identity, Refused("disabled", message, user=user, claims=summary)
    _update(user, profile)
    identity.signed_on_at = timezone.now()
    identity.save(update_fields=["signed_on_at"])
    return identity, None


def _enrol(*, issuer: str, profile: Profile, summary: dict) -> SignOnIdentity | None:
    """A first sign-on: a new inactive user (or the local account of that name), pending."""
    user = User.objects.filter(username=profile.username).first()
    if user is not None and SignOnIdentity.objects.filter(user=user).exists():
        return None
    if user is None:
        user = User(username=profile.username, is_active=False, **profile.fields())
        user.set_unusable_password()  # signs on at the provider only
        user.save()
        changes = {f: str(v or "") for f, v in profile.fields().items()}
        tell("user_created", user, actor=None, changes=changes | {"source": "sign-on"})
    return SignOnIdentity.objects.create(
        user=user, issuer=issuer, subject=profile.subject, claims=summary
    )


def _disable(user: User) -> None:
    user.is_active = False
    user.save(update_fields=["is_active"])
    changes = {"is_active": ["True", "False"], "source": "sign-on"}
    tell("user_changed", user, actor=None, changes=changes)


def _update(user: User, profile: Profile) -> None:
    """Apply the provider's role, region, department and name; audit what changed."""
    diff = {}
    for field, value in profile.fields().items():
        if getattr(user, field) != value:
            diff[field] = [str(getattr(user, field) or ""), str(value or "")]
            setattr(user, field, value)
    if diff:
        user.save(update_fields=list(diff))
        tell("user_changed", user, actor=user, changes=diff | {"source": "sign-on"})


def refused(refusal: Refused) -> None:
    """Tell the trail of a refused sign-on (a pending one is its own action)."""
    action = "sso_pending" if refusal.reason == "pending" else "sso_refused"
    changes = {"reason": refusal.reason, **refusal.claims}
    tell(action, refusal.user, actor=refusal.user, outcome=FAILURE, changes=changes)


def signed_on(*, user: User, provider_mfa: bool) -> None:
    """Tell the trail of a sign-on (the second factor: the provider's, or the platform's next)."""
    mfa = "provider" if provider_mfa else ("totp" if user.mfa_required else "none")
    tell("sso_login", user, actor=user, changes={"second_factor": mfa})


def pending_identities(user: User):
    """Sign-on identities waiting for approval that the security administrator `user` sees."""
    return (
        SignOnIdentity.objects.visible_to(user)
        .filter(approved_at__isnull=True)
        .select_related("user", "user__region", "user__department")
        .order_by("created_at")
    )


def approve(*, identity: SignOnIdentity, actor: User) -> SignOnIdentity:
    """The security administrator approves a sign-on identity; its user becomes active."""
    with transaction.atomic():
        identity.approved_at, identity.approved_by = timezone.now(), actor
        identity.save(update_fields=["approved_at", "approved_by"])
        user = identity.user
        changes = {"subject": identity.subject, "issuer": identity.issuer}
        if not user.is_active:
            user.is_active = True
            user.save(update_fields=["is_active"])
            changes["is_active"] = ["False", "True"]
        tell("sso_approved", user, actor=actor, changes=changes)
    return identity
