"""The trail's page for the audit administrator and the supervisor: search by actor, object,
action and period, and verify the chains of their region."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenlight.kernel.roles import AUDIT_READERS
from greenlight.kernel.views import paginate, require

from . import verify as chain_verify
from . import words
from .models import AuditEvent


class AuditFilter(forms.Form):
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    obj = forms.CharField(label=_("Object"), required=False, max_length=200)
    action = forms.CharField(label=_("Audit action"), required=False, max_length=60)
    start = forms.DateField(
        label=_("Period from"),
        required=False,
        error_messages={"invalid": _("Period from: a date in the form YYYY-MM-DD.")},
    )
    end = forms.DateField(
        label=_("Period to"),
        required=False,
        error_messages={"invalid": _("Period to: a date in the form YYYY-MM-DD.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Period to: it must not be before the start of the period."))
        return data


def _aware(day, end: bool = False) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min))


def _filtered(user, form: AuditFilter):
    events = AuditEvent.objects.visible_to(user).select_related(
        "region", "actor__department", "actor__organization"
    )
    if not form.is_bound:  # the page opened without a search: the newest events
        return events.order_by("-at", "-id")
    if not form.is_valid():
        return events.none()
    data = form.cleaned_data
    if data["actor"]:
        events = events.filter(actor_name__icontains=data["actor"])
    if data["obj"]:
        term = data["obj"]
        events = events.filter(
            Q(object_repr__icontains=term) | Q(object_id=term) | Q(object_type=term)
        )
    if data["action"]:
        events = events.filter(action__icontains=data["action"])
    if data["start"]:
        events = events.filter(at__gte=_aware(data["start"]))
    if data["end"]:
        events = events.filter(at__lte=_aware(data["end"], end=True))
    return events.order_by("-at", "-id")


@login_required
def trail(request):
    """The events of the user's region, newest first, filtered; `?verify=1` checks the chains."""
    require(request.user.role in AUDIT_READERS)
    form = AuditFilter(request.GET or None)
    page, query = paginate(request, _filtered(request.user, form), 50)
    result = None
    if request.GET.get("verify"):
        since = form.cleaned_data.get("start") if form.is_valid() else None
        result = chain_verify.verify(
            since=_aware(since) if since else None, chains=_chains_of(request.user)
        )
    for e in page:
        e.action_words = words.action(e.action)
        e.actor_words = words.actor(e)
        e.role_words = words.role(e.actor_role) if e.actor_role else ""
        e.object_words = words.object_type(e.object_type)
    context = {"form": form, "page": page, "query": query, "result": result}
    return render(request, "audit/trail.html", context)


def _chains_of(user) -> Q:
    """The chains of the user's region and below (and those of no region)."""
    region = user.region
    if region is None:
        return Q()
    return Q(region__code__startswith=region.prefix) | Q(region__isnull=True)
