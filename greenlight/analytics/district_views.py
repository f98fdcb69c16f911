"""The district comparison page (区县比较): province and city users over their districts."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from greenlight.accounts.choices import RegionLevel
from greenlight.accounts.models import Region
from greenlight.kernel import validation

from . import districts


class ComparisonForm(forms.Form):
    """The year and, for a province user, one city to narrow the comparison to."""

    year = forms.IntegerField(label=_("year"), required=False)
    city = forms.ChoiceField(label=pgettext_lazy("region level", "City"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        cities = Region.objects.visible_to(user).filter(level=RegionLevel.CITY)
        self.fields["city"].choices = [("", _("all"))] + [(c.code, c.name) for c in cities]

    def clean_year(self):
        year = self.cleaned_data.get("year") or districts.default_year()
        problem = validation.year_problem(year)
        if problem:
            raise forms.ValidationError(problem)
        return year


def _number(value, digits: int = 0) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _share(value, digits: int = 0) -> str:
    return "—" if value is None else f"{100 * value:.{digits}f}%"


def _shown(r: dict) -> dict:
    return {
        "investment": _number(r["investment"]),
        "investment_target": _number(r["investment_target"]),
        "investment_share": _share(r["investment_share"]),
        "starts_share": _share(r["starts_share"]),
        "on_time": _share(r["on_time"], 1),
        "joint_share": _share(r["joint_share"], 1),
        "medians": [_number(m, 1) for m in r["median_list"]],
    }


@login_required
def comparison(request):
    """Per district: new starts and investment against target, on-time rate, median handling
    days per stage, overdue tickets, joint cases; a league table and a chart per figure."""
    if not districts.can_compare(request.user):
        raise PermissionDenied
    form = ComparisonForm(request.GET or None, user=request.user)
    year, within = districts.default_year(), None
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound:
        year = form.cleaned_data["year"]
        if form.cleaned_data["city"]:
            within = districts.resolve(user=request.user, code=form.cleaned_data["city"])
    data = districts.compare(user=request.user, year=year, within=within, now=timezone.now())
    for r in data["rows"]:  # formatted once here: template filters cost ~1 ms a cell at 100 rows
        r["shown"] = _shown(r)
    charts = {
        "rows": data["rows"],
        "stages": data["stages"],
        "drill": reverse("analytics:home") + "?region=",
    }
    return render(
        request,
        "analytics/districts.html",
        {"d": data, "charts": charts, "form": form, "within": within},
        status=status,
    )
