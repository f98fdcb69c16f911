"""Setting up a region's structure at once (a new district, the demo): the region, its
subdistricts, the organizations that own projects and the staff accounts, each audited.
Idempotent: what exists already is kept as it is. Each creation is told to the audit trail
through `services.tell` (the audit app sits above accounts)."""

from __future__ import annotations

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Organization, Region, Subdistrict, User
from .services import tell


def ensure_region(*, code: str, name: str, level: str, parent: Region | None = None) -> Region:
    with transaction.atomic():
        region, created = Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "parent": parent}
        )
        if created:
            tell("region_created", region, changes={"code": code, "name": name})
    return region


def ensure_subdistricts(region: Region, names: list[str]) -> list[Subdistrict]:
    with transaction.atomic():
        rows = []
        for name in names:
            sub, created = Subdistrict.objects.get_or_create(region=region, name=name)
            if created:
                tell("subdistrict_created", sub, changes={"name": name})
            rows.append(sub)
    return rows


def ensure_organizations(region: Region, rows: list[tuple[str, str, str]]) -> list[Organization]:
    """Organizations `(credit code, name, kind)` of `region`, in the order given."""
    with transaction.atomic():
        out = []
        for credit, name, kind in rows:
            org, created = Organization.objects.get_or_create(
                credit_code=credit, defaults={"name": name, "region": region, "kind": kind}
            )
            if created:
                tell("organization_created", org, changes={"name": name})
            out.append(org)
    return out


def create_account(
    *, user: User, password: str = "", encoded: str = "", device: str = ""
) -> User | None:
    """A new account with its password, or with an already `encoded` one (accounts that share a
    documented password, as the demo's do, are hashed once: PBKDF2 costs most of a second), and
    for staff that need a second factor a confirmed TOTP device named `device`; None when the
    username is taken."""
    if User.objects.filter(username=user.username).exists():
        return None
    with transaction.atomic():
        if encoded:
            user.password = encoded
        else:
            user.set_password(password)
        user.save()
        if user.mfa_required and device:
            TOTPDevice.objects.create(user=user, name=device, confirmed=True)
        tell("user_created", user, changes={"role": user.role, "region": user.region_id})
    return user
