"""Calendar pages: the years and where their days come from (provisional ones flagged), the State
Council notice form, the CSV upload, and the list of what each calendar change moved.

Administrators enter and import; coordinators and administrators read (a coordinator sees the
moved dates of its own region and below).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenlight.accounts.models import shown_with
from greenlight.kernel.views import paginate, require

from . import calendars, changes, notices, permissions
from .choices import MovedKind
from .forms import HolidayFormSet, MakeupFormSet, UploadForm
from .models import CalendarChange, CalendarMove

AHEAD = 2  # years after this one shown on the calendar page


def _can_edit(user) -> bool:
    return permissions.can_edit_catalog(user)


@login_required
def overview(request):
    """The years around now: official, imported, entered from the notice, or provisional."""
    require(permissions.can_read_calendar_changes(request.user))
    cal = calendars.current()
    sources = calendars.year_sources()
    this = timezone.localdate().year
    last_known = max((y for y in sources if y <= this + 10), default=this)
    shown = range(this - 1, max(this + AHEAD, last_known + 1) + 1)
    years = [notices.describe_year(y, calendar=cal, sources=sources) for y in shown]
    return render(
        request,
        "catalog/calendar.html",
        {
            "years": years,
            "provisional_years": [y.year for y in years if y.provisional],
            "changes": _visible_changes(request.user)[:10],
            "can_edit": _can_edit(request.user),
            "upload": UploadForm() if _can_edit(request.user) else None,
        },
    )


@login_required
def notice(request, year: int):
    """Enter (or correct) the State Council notice of `year`: 放假 ranges and 调休上班 days."""
    require(_can_edit(request.user))
    if not notices.FIRST_YEAR <= year <= notices.LAST_YEAR:
        raise Http404
    current = notices.describe_year(year)
    errors: list[str] = []
    if request.method == "POST":
        holidays = HolidayFormSet(request.POST, prefix="h")
        makeup = MakeupFormSet(request.POST, prefix="m")
        if holidays.is_valid() and makeup.is_valid():
            h_rows = [(i, f.entry()) for i, f in enumerate(holidays.forms)]
            m_rows = [(i, f.entry()) for i, f in enumerate(makeup.forms)]
            h_rows = [(i, e) for i, e in h_rows if e is not None]
            m_rows = [(i, e) for i, e in m_rows if e is not None]
            try:
                change = notices.enter(
                    year=year,
                    holidays=[e for _i, e in h_rows],
                    makeup_days=[e for _i, e in m_rows],
                    actor=request.user,
                )
            except notices.NoticeError as exc:
                errors = _place(exc.problems, holidays, h_rows, makeup, m_rows)
            else:
                messages.success(
                    request,
                    _("The %(year)s notice is entered; %(n)s dates moved.")
                    % {"year": year, "n": change.approvals + change.tickets + change.projects},
                )
                return redirect("calendar:change", pk=change.pk)
    else:
        holidays = HolidayFormSet(
            prefix="h",
            initial=[{"name": h.name, "start": h.start, "end": h.end} for h in current.holidays],
        )
        makeup = MakeupFormSet(
            prefix="m", initial=[{"day": m.day, "name": m.name} for m in current.makeup_days]
        )
    return render(
        request,
        "catalog/notice.html",
        {
            "year": year,
            "current": current,
            "holidays": holidays,
            "makeup": makeup,
            "errors": errors,
            "provisional_years": [year] if current.provisional else [],
        },
    )


def _place(problems, holidays, h_rows, makeup, m_rows) -> list[str]:
    """Put each problem on its row's field; return those of the whole notice (year, holidays)."""
    rest = []
    rows = {"holidays": (holidays, h_rows), "makeup_days": (makeup, m_rows)}
    for field, message in problems:
        parts = field.split(".")
        if len(parts) == 3 and parts[0] in rows:
            formset, entries = rows[parts[0]]
            form = formset.forms[entries[int(parts[1])][0]]
            form.add_error(parts[2], message)
        else:
            rest.append(message)
    return rest


@login_required
@require_POST
def upload(request):
    """Import a `date,is_workday,note` CSV (all or nothing) and move every clock and plan."""
    require(_can_edit(request.user))
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a CSV file to import."))
        return redirect("calendar:overview")
    upload = form.cleaned_data["file"]
    try:
        rows = calendars.read_csv_bytes(upload.read(), upload.name)
        change, report = changes.import_file(rows, name=upload.name, actor=request.user)
    except calendars.CalendarImportError as exc:
        messages.error(
            request,
            _("Nothing was imported: %(problems)s") % {"problems": "; ".join(exc.lines[:20])},
        )
        return redirect("calendar:overview")
    messages.success(
        request,
        _("Imported %(file)s (years %(years)s); %(n)s dates moved.")
        % {
            "file": upload.name,
            "years": ", ".join(map(str, report.years)),
            "n": change.approvals + change.tickets + change.projects,
        },
    )
    return redirect("calendar:change", pk=change.pk)


def _visible_changes(user):
    """Changes with the number of moved dates the user may see (its region and below)."""
    moves = CalendarMove.objects.visible_to(user)
    counts = dict(
        moves.values_list("change_id").annotate(n=Count("id")).values_list("change_id", "n")
    )
    rows = list(CalendarChange.objects.select_related(*shown_with("actor"))[:200])
    for c in rows:
        c.visible = counts.get(c.pk, 0)
    return rows


@login_required
def change_list(request):
    """Every calendar change, newest first, with how many of the user's dates it moved."""
    require(permissions.can_read_calendar_changes(request.user))
    page, query = paginate(request, _visible_changes(request.user), 50)
    return render(request, "catalog/changes.html", {"page": page, "query": query})


@login_required
def change_detail(request, pk: int):
    """What one change moved: approvals' due dates, tickets' milestones, projects' forecasts."""
    require(permissions.can_read_calendar_changes(request.user))
    change = get_object_or_404(CalendarChange.objects.select_related(*shown_with("actor")), pk=pk)
    moves = list(
        CalendarMove.objects.visible_to(request.user)
        .filter(change=change)
        .select_related("region", "department")
        .order_by("kind", "before", "label", "id")
    )
    groups = [
        (kind, label, [m for m in moves if m.kind == kind]) for kind, label in MovedKind.choices
    ]
    return render(
        request,
        "catalog/change.html",
        {
            "change": change,
            "groups": groups,
            "total": len(moves),
            "provisional_years": calendars.provisional_years(
                *(d for m in moves for d in (m.before, m.after))
            ),
        },
    )
