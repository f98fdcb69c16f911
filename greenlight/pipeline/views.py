"""Pipeline pages: targets, candidates, pools, matching, decisions and the push to start."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenlight.kernel.errors import DomainError
from greenlight.kernel.views import add_form_error, require
from greenlight.projects.models import Project

from . import decisions, explain, permissions, selectors, services
from .choices import CandidateStatus, Pin
from .forms import CandidateForm, MeetingForm, PoolForm, StartForm, TargetForm
from .models import Meeting


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or request.POST.get("year") or 0) or _this_year()
    except ValueError:
        return _this_year()


def _this_year() -> int:
    return timezone.localdate().year


@login_required
def overview(request):
    """The year's targets with achievement, and the pipeline at a glance."""
    require(permissions.can_read(request.user))
    year = _year(request)
    form = TargetForm(region=request.user.region) if permissions.can_manage(request.user) else None
    return render(
        request,
        "pipeline/overview.html",
        {
            "year": year,
            "rows": selectors.achievements(user=request.user, year=year),
            "counts": selectors.pipeline_counts(user=request.user, year=year),
            "form": form,
            "can_manage": permissions.can_manage(request.user),
        },
    )


@login_required
@require_POST
def target_issue(request):
    """Issue (or re-issue) one target."""
    require(permissions.can_manage(request.user))
    year = _year(request)
    form = TargetForm(request.POST, region=request.user.region)
    if form.is_valid():
        try:
            services.issue_target(
                region=request.user.region,
                year=year,
                actor=request.user,
                investment=form.cleaned_data["investment"],
                new_starts=form.cleaned_data["new_starts"],
                generated=form.cleaned_data["generated"],
                **form.recipient_kwargs(),
            )
            messages.success(request, _("Target issued."))
            return redirect(f"/pipeline/?year={year}")
        except DomainError as exc:
            add_form_error(form, exc)
    return render(
        request,
        "pipeline/overview.html",
        {
            "year": year,
            "rows": selectors.achievements(user=request.user, year=year),
            "counts": selectors.pipeline_counts(user=request.user, year=year),
            "form": form,
            "can_manage": True,
        },
        status=400,
    )


@login_required
@require_POST
def target_acknowledge(request, pk: int):
    """The recipient acknowledges its target."""
    require(permissions.can_read(request.user))
    target = get_object_or_404(selectors.targets(user=request.user, year=None), pk=pk)
    require(permissions.can_acknowledge(request.user, target))
    try:
        services.acknowledge_target(target=target, actor=request.user)
        messages.success(request, _("Target acknowledged."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect(f"/pipeline/?year={target.year}")


@login_required
def candidate_list(request):
    """The planning pool: the region's candidates (a company: its own)."""
    require(permissions.can_see_candidates(request.user))
    year = _year(request)
    status = request.GET.get("status", "")
    status = status if status in CandidateStatus.values else ""
    rows = selectors.candidates(user=request.user, year=year, status=status)
    return render(
        request,
        "pipeline/candidates.html",
        {
            "year": year,
            "rows": rows,
            "status": status,
            "statuses": CandidateStatus.choices,
            "can_propose": permissions.can_propose(request.user),
            "can_manage": permissions.can_manage(request.user),
        },
    )


@login_required
def candidate_create(request):
    """Propose a candidate."""
    require(permissions.can_propose(request.user))
    year = _year(request)
    form = CandidateForm(request.POST or None, user=request.user, region=request.user.region)
    if request.method == "POST" and form.is_valid():
        try:
            cand = services.propose_candidate(
                data=form.service_data(), actor=request.user, year=year
            )
            messages.success(request, _("Candidate proposed."))
            return redirect("pipeline:candidate", pk=cand.pk)
        except DomainError as exc:
            add_form_error(form, exc)
    return render(request, "pipeline/candidate_form.html", {"form": form, "year": year})


@login_required
def candidate_detail(request, pk: int):
    """One candidate: needs against the pools, the last verdict, the decision."""
    require(permissions.can_see_candidates(request.user))
    cand = get_object_or_404(selectors.candidates(user=request.user), pk=pk)
    run = verdict = None
    if permissions.can_read(request.user):
        run = selectors.latest_run(user=request.user, year=cand.year)
        if run:
            found = explain.explain(run, [cand], cand.region)["rows"]
            verdict = found[0] if found else None
    return render(
        request,
        "pipeline/candidate.html",
        {
            "c": cand,
            "run": run,
            "verdict": verdict,
            "decision": getattr(cand, "decision", None),
            "can_pin": permissions.can_manage(request.user)
            and cand.status == CandidateStatus.PROPOSED,
            "pins": Pin.choices,
        },
    )


@login_required
@require_POST
def candidate_pin(request, pk: int):
    """Pin a candidate in or out (or release it), then go back."""
    require(permissions.can_manage(request.user))
    cand = get_object_or_404(selectors.candidates(user=request.user), pk=pk)
    try:
        services.pin_candidate(candidate=cand, pin=request.POST.get("pin", ""), actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect(request.POST.get("next") or f"/pipeline/candidates/{pk}/")


@login_required
def pools(request):
    """The year's factor pools; coordinators set them."""
    require(permissions.can_read(request.user))
    year = _year(request)
    manage = permissions.can_manage(request.user)
    form = PoolForm(request.POST or None, region=request.user.region) if manage else None
    if request.method == "POST":
        require(manage)
        if form.is_valid():
            try:
                services.set_pool(
                    region=request.user.region,
                    year=year,
                    kind=form.cleaned_data["kind"],
                    subdistrict=form.cleaned_data["subdistrict"],
                    amount_value=form.cleaned_data["amount"],
                    actor=request.user,
                )
                messages.success(request, _("Pool saved."))
                return redirect(f"/pipeline/pools/?year={year}")
            except DomainError as exc:
                add_form_error(form, exc)
    return render(
        request,
        "pipeline/pools.html",
        {"year": year, "rows": selectors.pools(user=request.user, year=year), "form": form},
        status=400 if form is not None and form.errors else 200,
    )


@login_required
def matching(request):
    """The last matching run, explained; coordinators re-run it."""
    require(permissions.can_read(request.user))
    year = _year(request)
    if request.method == "POST":
        require(permissions.can_manage(request.user))
        services.run_matching(region=request.user.region, year=year, actor=request.user)
        messages.success(request, _("Matching re-run."))
        return redirect(f"/pipeline/matching/?year={year}")
    run = selectors.latest_run(user=request.user, year=year)
    context = {"year": year, "run": run, "can_manage": permissions.can_manage(request.user)}
    if run:
        cands = selectors.candidates(user=request.user, year=year)
        context.update(explain.explain(run, cands, request.user.region))
    return render(request, "pipeline/matching.html", context)


@login_required
def meeting_list(request):
    """Decision meetings of the year."""
    require(permissions.can_read(request.user))
    year = _year(request)
    rows = (
        Meeting.objects.visible_to(request.user)
        .filter(year=year)
        .prefetch_related("decisions__candidate")
    )
    return render(
        request,
        "pipeline/meetings.html",
        {"year": year, "rows": rows, "can_manage": permissions.can_manage(request.user)},
    )


@login_required
def meeting_create(request):
    """Record a leading-group meeting and its decisions, all or nothing."""
    require(permissions.can_manage(request.user))
    year = _year(request)
    pending = selectors.candidates(user=request.user, year=year, status=CandidateStatus.PROPOSED)
    run = selectors.latest_run(user=request.user, year=year)
    suggested = set(run.result.get("selected", [])) if run else set()
    form = MeetingForm(
        request.POST or None,
        candidates=pending,
        suggested=suggested,
        initial={"held_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = decisions.decide(
                region=request.user.region,
                year=year,
                title=form.cleaned_data["title"],
                held_on=form.cleaned_data["held_on"],
                minutes=form.cleaned_data["minutes"],
                decisions=form.decisions(),
                actor=request.user,
            )
            messages.success(request, _("Decisions recorded."))
            return redirect("pipeline:meeting", pk=meeting.pk)
        except DomainError as exc:
            add_form_error(form, exc)
    return render(
        request,
        "pipeline/meeting_form.html",
        {"year": year, "form": form, "run": run},
        status=400 if form.errors else 200,
    )


@login_required
def meeting_detail(request, pk: int):
    """One meeting: minutes and decisions, with the projects they generated."""
    require(permissions.can_read(request.user))
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    rows = meeting.decisions.select_related("candidate__owner", "candidate__project")
    return render(request, "pipeline/meeting.html", {"meeting": meeting, "rows": rows})


@login_required
def push(request):
    """Milestones from the decision to the actual start of each project decided to start."""
    require(permissions.can_read(request.user))
    year = _year(request)
    return render(
        request,
        "pipeline/push.html",
        {
            "year": year,
            "rows": selectors.push_list(user=request.user, year=year),
            "can_manage": permissions.can_manage(request.user),
            "form": StartForm(),
        },
    )


@login_required
@require_POST
def push_start(request, pk: int):
    """Record the actual construction start of a generated project."""
    require(permissions.can_manage(request.user))
    project = get_object_or_404(
        Project.objects.visible_to(request.user).filter(candidate__isnull=False), pk=pk
    )
    form = StartForm(request.POST)
    if form.is_valid():
        try:
            services.record_start(
                project=project, on=form.cleaned_data["actual_start"], actor=request.user
            )
            messages.success(request, _("Construction start recorded."))
        except DomainError as exc:
            messages.error(request, str(exc.message))
    else:
        messages.error(request, _("Enter the start date."))
    return redirect(f"/pipeline/push/?year={project.candidate.year}")
