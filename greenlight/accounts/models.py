"""Regions, departments, project owners and users with their roles."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from greenlight.kernel.roles import STAFF_ROLES, Role
from greenlight.kernel.visibility import VisibleQuerySet, region_filter, region_scope

from . import rights
from .choices import DepartmentKind, OrganizationKind, RegionLevel


class RegionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Regions at or below the user's region."""
        scope = region_filter(user, "region")
        if scope is None:
            return self.none()
        return self.filter(code__startswith=user.region.prefix) if user.region_id else self


class DepartmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Departments of the user's region and below; companies see them too (who handles what)."""
        scope = region_filter(user, "region")
        return self.none() if scope is None else self.filter(scope)


class OrganizationQuerySet(VisibleQuerySet):
    owner_field = "id"


class Region(models.Model):
    """An administrative division (行政区划): a province, a city or a district."""

    code = models.CharField(_("division code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=50)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    settings = models.JSONField(_("settings"), default=dict, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        """Code prefix shared by this division and everything below it (44, 4403, 440306)."""
        if self.level == RegionLevel.PROVINCE:
            return self.code[:2]
        if self.level == RegionLevel.CITY:
            return self.code[:4]
        return self.code


class Subdistrict(models.Model):
    """A subdistrict (街道) of a district."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="subdistricts")
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        ordering = ["region", "id"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="uniq_subdistrict")]
        verbose_name = _("subdistrict")
        verbose_name_plural = _("subdistricts")

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """An approval department of one region, e.g. the district's ecology bureau."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departments")
    kind = models.CharField(_("kind"), max_length=20, choices=DepartmentKind.choices)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=20)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["region", "id"]
        constraints = [models.UniqueConstraint(fields=["region", "kind"], name="uniq_dept_kind")]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class Organization(models.Model):
    """A project owner (项目单位): a company, an agency or a state-owned enterprise."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="organizations")
    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=OrganizationKind.choices, default=OrganizationKind.COMPANY
    )
    contact = models.CharField(_("contact"), max_length=100, blank=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name


ROLE_TITLES = {
    Role.LEADER: {
        RegionLevel.PROVINCE: pgettext_lazy("role title", "Province leader"),
        RegionLevel.CITY: pgettext_lazy("role title", "City leader"),
        RegionLevel.DISTRICT: pgettext_lazy("role title", "District leader"),
    },
    Role.COORDINATOR: {
        RegionLevel.PROVINCE: pgettext_lazy("role title", "Province coordination office"),
        RegionLevel.CITY: pgettext_lazy("role title", "City coordination office"),
    },
}


class User(AbstractUser):
    """A person with one role, scoped to a region (a province-level region sees all below it)."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.COMPANY)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )

    password_changed_at = models.DateTimeField(_("password changed at"), default=timezone.now)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def clean(self):
        super().clean()
        if self.is_superuser and not settings.ALLOW_SUPERUSER:
            raise ValidationError(
                {"is_superuser": _("Superuser status: not allowed; access follows the role.")}
            )

    def save(self, *args, **kwargs):
        if self.is_superuser and not settings.ALLOW_SUPERUSER:
            raise ValidationError(
                {"is_superuser": _("Superuser status: not allowed; access follows the role.")}
            )
        super().save(*args, **kwargs)

    @property
    def password_expired(self) -> bool:
        """The password is older than PASSWORD_MAX_AGE_DAYS (90) and must be changed."""
        age = timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)
        return self.has_usable_password() and timezone.now() - self.password_changed_at > age

    @property
    def mfa_required(self) -> bool:
        """Staff always use a second factor; a company when its region asks for one."""
        if self.role in STAFF_ROLES:
            return True
        region = self.region
        return bool(region and region.settings.get("mfa_companies"))

    # Admin rights follow the role (accounts/rights.py), never Django's permission tables.
    def has_perm(self, perm, obj=None):
        if self.is_active and self.is_superuser:
            return True
        return self.is_active and rights.allows(self.role, perm)

    def has_module_perms(self, app_label):
        if self.is_active and self.is_superuser:
            return True
        return self.is_active and rights.allows_app(self.role, app_label)

    @property
    def is_staff_role(self) -> bool:
        """Government staff (every role but company)."""
        return self.role in STAFF_ROLES

    def get_full_name(self) -> str:
        """A Chinese name is family name then given name, without a space."""
        last, first = self.last_name.strip(), self.first_name.strip()
        if any("\u4e00" <= ch <= "\u9fff" for ch in last + first):
            return f"{last}{first}"
        return f"{first} {last}".strip()

    @property
    def person(self) -> str:
        """The person's name (the login only when no name was entered)."""
        return self.get_full_name() or self.username

    @property
    def role_title(self) -> str:
        """The role as its holder is called at the level of their region: a leader of the
        province is 省领导, not 区领导; the command office of a province or city is theirs."""
        level = self.region.level if self.region_id else None
        titles = ROLE_TITLES.get(self.role, {})
        return str(titles.get(level) or self.get_role_display())

    @property
    def office(self) -> str:
        """Where the person works: the department, the owner organization, else the role."""
        if self.department_id:
            return self.department.short_name
        if self.organization_id:
            return self.organization.name
        return self.role_title

    @property
    def display_name(self) -> str:
        """How people are shown everywhere: 姓名 · 部门."""
        return f"{self.person} · {self.office}"

    def __str__(self) -> str:
        """A person is shown by name and office wherever a page names them (admin lists and
        choices too), never by login."""
        return self.display_name


class ApiTokenQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A user's own tokens; the security administrator's: every token of the region."""
        if user is None or not user.is_authenticated:
            return self.none()
        if user.role == Role.SECURITY_ADMIN:
            scope = region_scope(user, "user__region")
            return self.none() if scope is None else self.filter(scope)
        return self.filter(user=user)


def shown_with(path: str) -> list[str]:
    """The `select_related` paths for showing the person at `path` (a User foreign key) by
    `display_name`: the person and what `office` reads (department, organization, region), so a
    list of people costs no query per row."""
    return [path, f"{path}__department", f"{path}__organization", f"{path}__region"]


def _token_expiry():
    return timezone.now() + timedelta(days=settings.API_TOKEN_DAYS)


class ApiToken(models.Model):
    """A bearer token for the API; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, default="cli")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), default=_token_expiry)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked = models.BooleanField(_("revoked"), default=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    @staticmethod
    def hash(raw: str) -> str:
        """SHA-256 hex digest of a raw token."""
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(
        cls, *, user: User, name: str = "cli", days: int | None = None
    ) -> tuple[ApiToken, str]:
        """Create a token for `user`; return it with the raw value (shown once)."""
        raw = "gl_" + secrets.token_urlsafe(32)
        days = settings.API_TOKEN_DAYS if days is None else days
        token = cls.objects.create(
            user=user,
            name=name,
            digest=cls.hash(raw),
            prefix=raw[:8],
            expires_at=timezone.now() + timedelta(days=days),
        )
        return token, raw

    @property
    def active(self) -> bool:
        """Neither revoked nor past its expiry."""
        return not self.revoked and self.expires_at > timezone.now()


class SignOnIdentityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The security administrator's: the identities of users of the region and below."""
        if user is None or not user.is_authenticated or user.role != Role.SECURITY_ADMIN:
            return self.none()
        scope = region_scope(user, "user__region")
        return self.none() if scope is None else self.filter(scope)


class SignOnIdentity(models.Model):
    """A user's account at the provincial identity service (统一身份认证): the provider's issuer
    and subject. Signing on waits until the security administrator approves it."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="sign_on")
    issuer = models.CharField(_("issuer"), max_length=200)
    subject = models.CharField(_("subject"), max_length=200)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_on_at = models.DateTimeField(_("last sign-on"), null=True, blank=True)
    # What the provider said at the last attempt (role, region, department…), for the approver.
    claims = models.JSONField(_("claims"), default=dict, blank=True)

    objects = SignOnIdentityQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="uniq_sign_on_subject")
        ]
        verbose_name = _("sign-on identity")
        verbose_name_plural = _("sign-on identities")

    def __str__(self) -> str:
        return f"{self.user.username} ({self.subject})"

    @property
    def pending(self) -> bool:
        """Not yet approved by the security administrator."""
        return self.approved_at is None
