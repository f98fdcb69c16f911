"""Pages of identity: the two-step login (password, then the one-time code), enrolling a second
factor, changing the password, one's API tokens; for the security administrator the locks and
every token of the region."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from greenlight.kernel.roles import Role
from greenlight.kernel.views import require

from . import services, signon
from .forms import OtpForm, TokenForm
from .models import Region, User

PENDING = "greenlight_mfa_pending"


class LoginView(auth_views.LoginView):
    """Step one: user name and password (django-axes counts the failures). A user with a
    second factor goes on to step two before any session is opened for them."""

    template_name = "site/login.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"sso": settings.OIDC_ENABLED}

    def form_valid(self, form):
        user = form.get_user()
        if user.mfa_required and services.totp_device(user) is not None:
            self.request.session[PENDING] = {
                "user": user.pk,
                "backend": user.backend,
                "next": self.get_redirect_url(),
            }
            return redirect("accounts:mfa_verify")
        return super().form_valid(form)


def mfa_verify(request):
    """Step two: the one-time code of the enrolled device; then the session opens, verified."""
    pending = request.session.get(PENDING)
    if not pending:
        return redirect("login")
    user = get_object_or_404(User, pk=pending["user"], is_active=True)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.verify_totp(request=request, user=user, token=form.cleaned_data["otp"])
        if device is not None:
            del request.session[PENDING]
            auth_login(request, user, backend=pending["backend"])
            otp_login(request, device)
            services.tell("mfa_verified", user, actor=user)
            target = pending.get("next") or ""
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
                target = ""
            return redirect(target or "home")
        form.add_error("otp", _("One-time code: wrong or expired; enter the current code."))
    return render(request, "accounts/mfa_verify.html", {"form": form, "who": user.username})


@login_required
def mfa_setup(request):
    """Enrol a TOTP authenticator: scan the code (or type the key), confirm with one code."""
    if services.second_factor_met(request):
        return redirect("home")
    existing = services.totp_device(request.user)
    if existing is not None:
        # Enrolled, but this session has not given a code (a password-only login): step two.
        request.session[PENDING] = {
            "user": request.user.pk,
            "backend": request.session.get("_auth_user_backend"),
            "next": "",
        }
        return redirect("accounts:mfa_verify")
    device = services.pending_totp_device(request.user)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.confirm_totp(request=request, device=device, token=form.cleaned_data["otp"]):
            messages.success(request, _("Second factor enrolled."))
            return redirect("home")
        form.add_error("otp", _("One-time code: wrong or expired; enter the current code."))
    context = {"form": form, "secret": _base32(device), "qr": _qr_svg(device.config_url)}
    return render(request, "accounts/mfa_setup.html", context)


def _base32(device) -> str:
    return base64.b32encode(device.bin_key).decode()


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue().decode()


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's password (required once it is older than PASSWORD_MAX_AGE_DAYS)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=form.user)
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


@login_required
def tokens(request):
    """One's API tokens (the security administrator: every token of the region); a new one."""
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        _token, raw = services.issue_token(
            user=request.user, actor=request.user, name=form.cleaned_data["name"]
        )
        form = TokenForm()
    listed = services.tokens_visible_to(request.user)[:200]
    context = {"tokens": listed, "form": form, "raw": raw}
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
def token_revoke(request, pk: int):
    """Revoke a token: its owner, or the security administrator of its region."""
    token = get_object_or_404(services.tokens_visible_to(request.user), pk=pk)
    services.revoke_token(token=token, actor=request.user)
    messages.success(request, _("Token %(prefix)s… revoked.") % {"prefix": token.prefix})
    return redirect("accounts:tokens")


def _security_admin(user) -> bool:
    return user.is_authenticated and user.role == Role.SECURITY_ADMIN


@login_required
def locks(request):
    """The security administrator's list of locked accounts and addresses, to lift one."""
    require(_security_admin(request.user))
    return render(request, "accounts/locks.html", {"locks": services.locks()[:200]})


@login_required
@require_POST
def lock_lift(request):
    """Lift a lock (the security administrator); audited."""
    require(_security_admin(request.user))
    kind, value = request.POST.get("kind", ""), request.POST.get("value", "")
    if services.unlock(kind=kind, value=value, actor=request.user):
        messages.success(request, _("Lock lifted: %(value)s.") % {"value": value})
    else:
        messages.error(request, _("Lock: none found for %(value)s.") % {"value": value or "—"})
    return redirect("accounts:locks")


@login_required
def policy(request):
    """The security administrator's page: second factor for the region's companies, a user's
    lost authenticator removed (the user enrols again at the next login), and the sign-ons
    waiting for approval."""
    require(_security_admin(request.user))
    region = request.user.region
    regions = (
        Region.objects.filter(code__startswith=region.prefix) if region else Region.objects.none()
    )
    if request.method == "POST":
        if "region" in request.POST:
            region = get_object_or_404(regions, pk=request.POST["region"])
            required = request.POST.get("mfa_companies") == "on"
            services.set_company_mfa(region=region, required=required, actor=request.user)
            messages.success(request, _("Policy saved for %(region)s.") % {"region": region})
        elif "approve" in request.POST:
            pending = signon.pending_identities(request.user)
            identity = pending.filter(pk=_int(request.POST["approve"])).first()
            if identity is None:
                messages.error(request, _("Sign-on: no such identity waiting in your region."))
            else:
                signon.approve(identity=identity, actor=request.user)
                messages.success(request, _("Sign-on approved for %(u)s.") % {"u": identity.user})
        elif "username" in request.POST:
            user = User.objects.filter(
                username=request.POST["username"], region__in=regions
            ).first()
            if user is None:
                messages.error(request, _("User name: no such user in your region."))
            else:
                services.reset_totp(user=user, actor=request.user)
                messages.success(request, _("Second factor removed for %(u)s.") % {"u": user})
        return redirect("accounts:policy")
    context = {
        "regions": regions,
        "max_age": settings.PASSWORD_MAX_AGE_DAYS,
        "pending": signon.pending_identities(request.user)[:200],
    }
    return render(request, "accounts/policy.html", context)


def _int(value) -> int | None:
    return int(value) if str(value).isdigit() else None
