"""Security acts on accounts: tokens, second factor, locks, passwords. Each one is told to the
audit trail through `hooks.security_event` (the audit app sits above accounts)."""

from __future__ import annotations

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import hooks
from .models import ApiToken, User

SUCCESS, FAILURE = "success", "failure"
PROVIDER_MFA = "greenlight_sso_mfa"  # session key set by a sign-on whose provider did MFA


def tell(action: str, obj, *, actor=None, outcome: str = SUCCESS, changes: dict | None = None):
    """Hand one security event to the layers above (the audit trail)."""
    hooks.security_event.send(
        action=action, obj=obj, actor=actor, outcome=outcome, changes=changes or {}
    )


def issue_token(*, user: User, actor: User | None, name: str = "cli", days: int | None = None):
    """A new API token for `user` (returned with its raw value, shown once); audited."""
    with transaction.atomic():
        token, raw = ApiToken.issue(user=user, name=name, days=days)
        tell(
            "token_created",
            token,
            actor=actor or user,
            changes={"user": user.username, "name": name, "expires_at": token.expires_at},
        )
    return token, raw


def revoke_token(*, token: ApiToken, actor: User | None) -> ApiToken:
    """Revoke one token (its owner or the security administrator); audited."""
    with transaction.atomic():
        token.revoked, token.revoked_at = True, timezone.now()
        token.save(update_fields=["revoked", "revoked_at"])
        tell("token_revoked", token, actor=actor, changes={"user": token.user.username})
    return token


def revoke_all_tokens(*, user: User, actor: User | None) -> int:
    """Revoke every active token of `user`; returns how many."""
    tokens = list(ApiToken.objects.filter(user=user, revoked=False))
    for token in tokens:
        revoke_token(token=token, actor=actor)
    return len(tokens)


def tokens_visible_to(user: User):
    """Tokens a user may list: their own; the security administrator those of their region."""
    return ApiToken.objects.visible_to(user).select_related("user").order_by("-created_at")


def second_factor_met(request) -> bool:
    """The session gave a one-time code, or signed on at a provider whose MFA the platform
    accepts (settings.OIDC_MFA_ACR / OIDC_MFA_AMR, noted in the session at sign-on)."""
    return request.user.is_verified() or bool(request.session.get(PROVIDER_MFA))


def totp_device(user: User) -> TOTPDevice | None:
    """The user's confirmed TOTP device, if enrolled."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_totp_device(user: User) -> TOTPDevice:
    """The device being enrolled (unconfirmed), made on first ask; its key is shown once."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)


def confirm_totp(*, request, device: TOTPDevice, token: str) -> bool:
    """Enrolment: the first right code confirms the device and verifies the session."""
    if not device.verify_token(token):
        tell("mfa_enrol_failed", request.user, actor=request.user, outcome=FAILURE)
        return False
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
        otp_login(request, device)
        tell("mfa_enrolled", device.user, actor=device.user)
    return True


def verify_totp(*, request, user: User, token: str) -> TOTPDevice | None:
    """Login's second step: the device if `token` is right (django-otp throttles guesses)."""
    device = totp_device(user)
    if device is None or not device.verify_token(token):
        tell("mfa_failed", user, actor=user, outcome=FAILURE)
        return None
    return device


def reset_totp(*, user: User, actor: User) -> int:
    """The security administrator removes a user's second factor (lost phone); re-enrol next."""
    with transaction.atomic():
        n, _ = TOTPDevice.objects.filter(user=user).delete()
        tell("mfa_reset", user, actor=actor)
    return n


def locks() -> list[dict]:
    """Current lockouts, by account and by address (django-axes sums the failures of each
    within the cool-off), the most recent first."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(attempt_time__gte=since)
    found = []
    for kind, field in (("username", "username"), ("ip", "ip_address")):
        rows = (
            attempts.exclude(**{f"{field}__isnull": True})
            .exclude(**{field: ""})
            .values(field)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        )
        for row in rows:
            until = row["last"] + settings.AXES_COOLOFF_TIME
            found.append(
                {"kind": kind, "value": row[field], "failures": row["failures"], "until": until}
            )
    return sorted(found, key=lambda lock: lock["until"], reverse=True)


def unlock(*, kind: str, value: str, actor: User) -> int:
    """Lift the lock of an account (kind "username") or an address ("ip"); audited."""
    if kind not in ("username", "ip") or not value:
        return 0
    with transaction.atomic():
        n = axes_reset(username=value) if kind == "username" else axes_reset(ip=value)
        subject = User.objects.filter(username=value).first() if kind == "username" else None
        tell("lock_lifted", subject or actor, actor=actor, changes={kind: value, "attempts": n})
    return n


def password_changed(*, user: User) -> None:
    """Tell the trail a user changed their password (the form saved it)."""
    tell("password_changed", user, actor=user)


def set_company_mfa(*, region, required: bool, actor: User) -> None:
    """The security administrator asks (or stops asking) the region's companies for a second
    factor; audited."""
    with transaction.atomic():
        before = bool(region.settings.get("mfa_companies"))
        region.settings = {**region.settings, "mfa_companies": required}
        region.save(update_fields=["settings"])
        tell(
            "mfa_policy_changed", region, actor=actor, changes={"mfa_companies": [before, required]}
        )


def load_regions(*, divisions, source: dict, actor: User | None = None) -> dict:
    """Create or update the Region rows of `divisions` (parents before children, as
    `divisions.extract` orders them) by code: names, levels and parents follow the source, a
    region's settings are kept; nothing is deleted. Idempotent; audited once per run."""
    from .models import Region

    created, updated = [], []
    with transaction.atomic():
        existing = {r.code: r for r in Region.objects.select_for_update().order_by("code")}
        for d in divisions:
            parent = existing.get(d.parent) if d.parent else None
            if d.parent and parent is None:
                raise ValueError(f"{d.code} {d.name}: parent {d.parent} is not loaded")
            region = existing.get(d.code)
            if region is None:
                region = Region.objects.create(
                    code=d.code, name=d.name, level=d.level, parent=parent
                )
                existing[d.code] = region
                created.append(d.code)
            elif (region.name, region.level, region.parent_id) != (
                d.name,
                d.level,
                parent.pk if parent else None,
            ):
                region.name, region.level, region.parent = d.name, d.level, parent
                region.save(update_fields=["name", "level", "parent"])
                updated.append(d.code)
        root = next((existing[d.code] for d in divisions if d.parent is None), None)
        if created or updated:
            tell(
                "regions_loaded",
                root,
                actor=actor,
                changes={"created": created, "updated": updated, "source": source},
            )
    return {"created": len(created), "updated": len(updated), "total": len(divisions)}
