"""The case page's figures are what the simulation yields: two seeds give different figures,
each within the range a district of this size could plausibly show (stated below)."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from greenlight.accounts.models import Region
from greenlight.analytics import casepage
from greenlight.approvals.models import Approval
from greenlight.catalog import calendars
from greenlight.plans import planning
from greenlight.reviews.models import Batch

TODAY = date(2026, 11, 20)
PROJECTS = 120
SEEDS = (440306, 7)

# (low, high), both included, for a 120-project district from 2020 to TODAY. Where the case
# states a figure, the range is of its order; scaled ones are per project built.
RANGES = {
    # 危险边坡: the template's matters in series vs as its network allows (case: 141 → 90)
    "template_days": (60, 160),
    "template_days.before": (140, 400),
    # 环评 + 排污许可 as one joint case, working days (case: 11; catalog limit 11, pauses count)
    "eia_joint": (5, 20),
    # projects of a five-step batch started within 70 days of it, and their share of the
    # starts of the batches' years (case: 122 of 258, 47 %): the 2022 batches list the
    # projects then pending, some of which start soon after the meeting
    "batch_starts": (2, 0.3 * PROJECTS),
    "batch_share": (3, 60),
    # projects served: most of the district's projects see at least one matter handled
    "projects_served": (0.6 * PROJECTS, PROJECTS),
    # reform register (case: 91 items, 26 立行立改, 63 整改优化, 31 units, 83 documents)
    "reform_items": (40, 140),
    "reform_immediate": (10, 60),
    "reform_rectify": (20, 100),
    "reform_units": (5, 40),
    "reform_documents": (40, 140),
    # the sum of per-matter limit reductions, days (case: 300余天 over the whole catalog)
    "days_saved": (5, 400),
}
PER_PROJECT = {
    # matters decided per project served: a project takes some 8-20 matters to its start
    "approvals_handled": (4, 25),
    # 1-2-3 tickets per project served: blockers are the exception, not the rule
    "tickets_handled": (0.05, 2),
}


def _figures(seed: int) -> dict:
    """Build the demo with `seed`, read the case page's figures, and roll the build back."""
    with transaction.atomic():
        call_command(
            "demo",
            "--projects",
            str(PROJECTS),
            "--seed",
            str(seed),
            "--today",
            TODAY.isoformat(),
            stdout=StringIO(),
            stderr=StringIO(),
        )
        region = Region.objects.get(code="440306")
        rows = casepage.figures(region=region, start=casepage.CASE_START, end=TODAY)
        values = {f.key: f.value for f in rows}
        values.update({f"{f.key}.before": f.before for f in rows if f.before is not None})
        values.update({f"{f.key}.n": f.n for f in rows if f.n is not None})
        values["five_step_late"] = _decided_long_after_the_meeting()
        transaction.set_rollback(True)
    return values


def _decided_long_after_the_meeting() -> int:
    """The pre-start matters a 2022 five-step batch listed while pending (submitted by its
    issue, not decided then), outside a joint case, decided more than 12 working days after
    the batch's meeting: early intervention and the meeting leave none so."""
    cal = calendars.current()
    late = 0
    for batch in Batch.objects.filter(issued_at__year=2022):
        meeting = timezone.localdate(batch.meetings.get().starts_at)
        listed = Approval.objects.filter(
            pk__in=batch.opinions.values_list("approval_id", flat=True),
            matter__stage__in=[s.value for s in planning.BEFORE_START],
            submitted_at__lte=batch.issued_at,
            decided_at__gt=batch.issued_at,
            joint_case__isnull=True,
        )
        bound = cal.add_workdays(meeting, 12)
        late += sum(
            timezone.localdate(d) > bound for d in listed.values_list("decided_at", flat=True)
        )
    return late


def _out_of_range(v: dict) -> list[str]:
    wrong = []
    for key, (low, high) in RANGES.items():
        if v.get(key) is None or not low <= v[key] <= high:
            wrong.append(f"{key}={v.get(key)!r} not in [{low}, {high}]")
    served = v.get("projects_served") or 0
    for key, (low, high) in PER_PROJECT.items():
        per = (v.get(key) or 0) / served if served else None
        if per is None or not low <= per <= high:
            wrong.append(f"{key}={v.get(key)!r} per project served {per!r} not in [{low}, {high}]")
    return wrong


@pytest.mark.django_db
def test_two_seeds_give_different_yet_plausible_figures():
    # given the demo built with two seeds
    first, second = (_figures(seed) for seed in SEEDS)
    # then each seed's figures are within the stated ranges
    assert _out_of_range(first) == []
    assert _out_of_range(second) == []
    for v in (first, second):
        # series takes longer than parallel; the joint case is shorter than handling apart
        assert v["template_days.before"] > v["template_days"]
        assert v["eia_joint.n"] >= 5
        if v.get("eia_separate.n"):
            assert v["eia_separate"] > v["eia_joint"]
        assert v["reform_immediate"] + v["reform_rectify"] == v["reform_items"]
        assert v["matters_and_problems"] == v["approvals_handled"] + v["tickets_handled"]
        assert v["five_step_late"] == 0
    # and the figures are the simulation's, not fixed: the seeds give different ones
    simulated = ["projects_served", "approvals_handled", "reform_items", "eia_joint.n"]
    differ = [k for k in simulated if first.get(k) != second.get(k)]
    assert len(differ) >= 3, (first, second)
