"""Analytics pages: the leader dashboard, drill-down lists, bottlenecks, scorecards, investment
statistics and event-log exports. Reads only, except the investment report entry and import."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenlight.accounts.models import Department
from greenlight.approvals import joint as joint_cases
from greenlight.kernel.errors import DomainError
from greenlight.projects.models import Project

from . import (
    bottlenecks,
    dashboard,
    districts,
    excel,
    importer,
    investment,
    ocel,
    permissions,
    scorecards,
    selectors,
    services,
)
from .forms import CaseFilterForm, MonthForm, PeriodForm, ReportForm, UploadForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_SALT = "analytics.investment-import"


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


WALL_REFRESH = 300  # seconds between two updates of the wall screen


@login_required
def home(request):
    """The leader dashboard (全周期看板); `?wall=1` lays it out for a 1920×1080 wall screen that
    updates itself every five minutes (`&refresh=N`: every N seconds) from `?format=json`: the
    charts' data with the tiles and the table rendered, and the time of the figures."""
    now = timezone.now()
    code = request.GET.get("region", "")
    region = districts.resolve(user=request.user, code=code) if code else None
    data = dashboard.summary(user=request.user, today=timezone.localdate(), now=now, region=region)
    narrow = f"region={region.code}&" if region else ""
    charts = {
        "funnel": data["funnel"],
        "starts": data["starts"],
        "investment": data["investment"],
        "lights": data["lights"],
        "year": data["year"],
        "links": {
            "stage": reverse("projects:list") + f"?{narrow}stage=",
            "drill": reverse("analytics:projects") + f"?{narrow}",
            "tickets": reverse("tickets:list") + f"?{narrow}state=open&department=",
            "district": reverse("analytics:home") + "?region=",
        },
    }
    wall = request.GET.get("wall") == "1"
    local = timezone.localtime(now)
    context = {
        "d": data,
        "charts": charts,
        "narrow": narrow,
        "wall": wall,
        "updated": f"{local:%H:%M}",
        "updated_iso": local.isoformat(timespec="seconds"),
    }
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "charts": charts,
                "tiles": render_to_string("analytics/_dash_tiles.html", context, request),
                "majors": render_to_string("analytics/_dash_majors.html", context, request),
                "as_of": f"{local:%Y-%m-%d %H:%M}",
                "updated": context["updated"],
                "updated_iso": context["updated_iso"],
            }
        )
    try:
        refresh = min(3600, max(1, int(request.GET.get("refresh", WALL_REFRESH))))
    except ValueError:
        refresh = WALL_REFRESH
    query = request.GET.copy()
    query["format"] = "json"
    context.update(refresh=refresh, source=f"{request.path}?{query.urlencode()}")
    return render(request, "analytics/dashboard.html", context)


@login_required
def projects(request):
    """The projects behind one dashboard figure."""
    f = selectors.Drill.from_query(request.GET)
    page = Paginator(selectors.drill(user=request.user, f=f), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "analytics/projects.html",
        {
            "page": page,
            "f": f,
            "filters": selectors.describe(f, user=request.user),
            "query": query.urlencode(),
            "total": page.paginator.count,
        },
    )


@login_required
def bottleneck_page(request):
    """Figures per matter, department or stage over a period, and the ranked sources of delay."""
    form = PeriodForm(request.GET or None)
    period, by = form.period(), form.group()
    rows = bottlenecks.table(user=request.user, period=period, by=by)
    top = bottlenecks.ranking(rows)
    chart = {
        "labels": [str(r["label"]) for r in top][::-1],
        "values": [round(r["delay_per_year"]) for r in top][::-1],
        "critical": [round(r["critical_days"] * 365 / max(period.days, 1)) for r in top][::-1],
        "links": [_case_link(r, period) for r in top][::-1],
        "t_delay": _("Delay (days a year)"),
        "t_critical": _("Of it on the critical path (days a year)"),
    }
    for r in rows:
        r["link"] = _case_link(r, period)
    start, end = period.bounds()
    # 一口受理: each joint case counted once, with its members, against the bundle's limit
    joint_rows = joint_cases.figures(user=request.user, start=start, end=end)
    return render(
        request,
        "analytics/bottlenecks.html",
        {
            "form": form,
            "rows": rows,
            "top": top,
            "by": by,
            "period": period,
            "chart": chart,
            "joint_rows": joint_rows,
        },
    )


def _case_link(row: dict, period) -> str:
    end = period.end.toordinal() - 1
    return (
        reverse("analytics:cases")
        + f"?{row['param']}={row['key']}&start={period.start.isoformat()}"
        + f"&end={date.fromordinal(end).isoformat()}"
    )


@login_required
def cases(request):
    """The decided cases behind a bottleneck figure, the most delayed first."""
    form = CaseFilterForm(request.GET or None)
    period = form.period()
    d = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = {k: d.get(k) or None for k in ("matter", "department", "stage")}
    rows, total = bottlenecks.case_list(user=request.user, period=period, **filters)
    return render(
        request,
        "analytics/cases.html",
        {"rows": rows, "total": total, "period": period, "filters": filters},
    )


def _month(request):
    return MonthForm(request.GET or None).month_or(investment.previous_month(timezone.localdate()))


@login_required
def scorecard_page(request):
    """Departments ranked for a month, with a twelve-month trend of their on-time rates."""
    if not permissions.can_see_scorecards(request.user):
        raise PermissionDenied
    month = _month(request)
    rows = scorecards.ranking(user=request.user, month=month)
    trend = scorecards.trend(user=request.user, month=month)
    return render(
        request,
        "analytics/scorecards.html",
        {"rows": rows, "month": month, "trend": trend, "form": MonthForm(initial={"month": month})},
    )


@login_required
def scorecard_export(request):
    """The month's ranking as Excel."""
    if not permissions.can_see_scorecards(request.user):
        raise PermissionDenied
    month = _month(request)
    rows = scorecards.ranking(user=request.user, month=month)
    return _xlsx(excel.scorecards(rows, month=month), f"scorecards-{month:%Y-%m}.xlsx")


@login_required
def scorecard_detail(request, pk: int):
    """One department in detail: its matters this month and its trend."""
    department = get_object_or_404(Department.objects.visible_to(request.user), pk=pk)
    if not permissions.can_see_department(request.user, department):
        raise PermissionDenied
    month = _month(request)
    period = scorecards.month_period(month)
    rows = bottlenecks.table(
        user=request.user, period=period, by="matter", department=department.pk
    )
    trend = scorecards.trend(user=request.user, month=month, department=department.pk)
    return render(
        request,
        "analytics/scorecard_detail.html",
        {
            "department": department,
            "month": month,
            "month_end": period.end - timedelta(days=1),
            "rows": rows,
            "trend": trend,
        },
    )


# -- investment statistics ---------------------------------------------------------------------


def _reportable(user):
    qs = investment.qualifying(user=user)
    return qs.order_by("code") if permissions.can_enter_reports(user) else qs.none()


@login_required
def investment_page(request):
    """纳统 status, the missing reports of the month due, the entry form and the downloads."""
    today = timezone.localdate()
    due = investment.due_report(today)
    status = Paginator(investment.status_rows(user=request.user, year=today.year), 50).get_page(
        request.GET.get("page")
    )
    missing = list(investment.missing(user=request.user, month=due.month)[:300])
    form = ReportForm(projects=_reportable(request.user), initial={"month": due.month})
    return render(
        request,
        "analytics/investment.html",
        {
            "due": due,
            "status": status,
            "missing": missing,
            "missing_total": investment.missing(user=request.user, month=due.month).count(),
            "form": form,
            "can_enter": permissions.can_enter_reports(request.user),
            "year": today.year,
        },
    )


@login_required
@require_POST
def report(request):
    """Enter one month's completed investment of one project."""
    if not permissions.can_enter_reports(request.user):
        raise PermissionDenied
    form = ReportForm(request.POST, projects=_reportable(request.user))
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.submit_report(
                actor=request.user, project=d["project"], month=d["month"], amount=d["amount"]
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Report saved."))
            return redirect("analytics:investment")
    today = timezone.localdate()
    due = investment.due_report(today)
    return render(
        request,
        "analytics/report_form.html",
        {"form": form, "due": due},
        status=400,
    )


@login_required
def import_page(request):
    """Upload an Excel workbook of reports: a dry run shows every row and every error first."""
    if not permissions.can_enter_reports(request.user):
        raise PermissionDenied
    context = {"form": UploadForm()}
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            parsed = importer.parse(form.cleaned_data["file"].read(), user=request.user)
            context["parsed"] = parsed
            if not parsed.errors and parsed.rows:
                payload = [[p.pk, m.isoformat(), str(a)] for p, m, a in parsed.rows]
                context["token"] = signing.dumps(payload, salt=IMPORT_SALT, compress=True)
    return render(request, "analytics/import.html", context, status=200)


@login_required
@require_POST
def import_commit(request):
    """Store a previewed import, all or nothing."""
    if not permissions.can_enter_reports(request.user):
        raise PermissionDenied
    try:
        payload = signing.loads(request.POST.get("token", ""), salt=IMPORT_SALT, max_age=3600)
    except signing.BadSignature:
        messages.error(request, _("The preview has expired; upload the file again."))
        return redirect("analytics:import")
    projects = Project.objects.visible_to(request.user).in_bulk([r[0] for r in payload])
    rows = []
    for pk, month, amount in payload:
        if pk not in projects:
            raise PermissionDenied
        rows.append((projects[pk], date.fromisoformat(month), Decimal(amount)))
    try:
        n = services.import_reports(actor=request.user, rows=rows)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("analytics:import")
    messages.success(request, _("%(n)d reports imported.") % {"n": n})
    return redirect("analytics:investment")


@login_required
def import_template(request):
    return _xlsx(importer.template(), "investment-reports.xlsx")


@login_required
def monthly_report(request):
    """The standard monthly report (月度报表) as Excel."""
    month = _month(request)
    rows = investment.monthly_report(user=request.user, month=month)
    region = request.user.region.name if request.user.region_id else ""
    return _xlsx(
        excel.monthly_report(rows, month=month, region_name=region),
        f"investment-{month:%Y-%m}.xlsx",
    )


# -- exports -----------------------------------------------------------------------------------


@login_required
def export_page(request):
    form = PeriodForm(request.GET or None)
    return render(request, "analytics/export.html", {"form": form, "period": form.period()})


@login_required
def export_ocel(request):
    """OCEL 2.0 JSON of the period's approval and ticket events."""
    period = PeriodForm(request.GET or None).period()
    response = StreamingHttpResponse(
        ocel.ocel_json(user=request.user, period=period), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="greenlight-ocel2.json"'
    return response


@login_required
def export_csv(request):
    """The flat event log (one case per approval or ticket) as CSV."""
    period = PeriodForm(request.GET or None).period()
    response = StreamingHttpResponse(
        ocel.csv_rows(user=request.user, period=period), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="greenlight-events.csv"'
    return response


def charts_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
