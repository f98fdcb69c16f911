"""Every bottleneck figure against hand-computed values (see conftest's scenario): the rules of
`rules.py` as the fact table stores them, and the group figures the readers aggregate."""

from datetime import date, datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from greenlight.analytics import aggregates, bottlenecks, casefacts, rules
from greenlight.analytics.aggregates import PercentileCont
from greenlight.analytics.models import CaseFact
from greenlight.approvals.choices import PauseReason, Status
from greenlight.approvals.models import Approval
from greenlight.catalog.choices import Stage, Unit
from greenlight.plans import planning

MARCH = rules.Period(date(2025, 3, 1), date(2025, 4, 1))


def stored(user) -> dict:
    """The fact table rebuilt from the rules, as `user` sees March's cases."""
    casefacts.refresh_all()
    return {c.approval_id: c for c in bottlenecks.visible(user=user, period=MARCH)}


def test_handling_time_excludes_pauses_and_counts_in_the_matters_unit(world, scenario):
    # given the scenario's decided cases of March
    # when the facts are computed
    rows = stored(world.users.coordinator)
    # then handling times match the hand count (pauses excluded, start day not counted)
    s = scenario
    assert rows[s.a.id].handling == 5
    assert rows[s.b.id].handling == 6 and rows[s.b.id].supplements == 1
    assert rows[s.c.id].handling == 5 and rows[s.c.id].supplements == 2
    assert rows[s.d.id].handling == 11  # calendar days
    assert rows[s.d.id].handling_statutory == 8  # its statutory limit is in working days
    assert rows[s.e.id].handling == 2
    assert rows[s.g.id].handling == 8
    # and the other tenant, the January case and the not-accepted case are left out
    assert len(rows) == 6


def test_idle_time_from_prerequisites_done_to_submitted(world, scenario):
    # given M3 waits for M1 and M2 (catalog) and M4 waits for M1 (template link)
    # when
    rows = stored(world.users.coordinator)
    # then
    assert rows[scenario.e.id].idle == 3  # M2 decided Mon 03-17, submitted Thu 03-20
    assert rows[scenario.g.id].idle == 1  # M1 decided Fri 03-14, submitted Mon 03-17
    assert rows[scenario.a.id].idle is None  # no prerequisites


def test_prerequisites_are_the_links_tasks_for_builds(world, scenario):
    # given project 2 with its template link M1 -> M4
    approvals = list(
        Approval.objects.filter(project=scenario.p2).select_related("matter", "department")
    )
    graph = planning.CatalogGraph.load()
    # when
    tasks, _ = planning.tasks_for(scenario.p2, approvals, graph)
    # then the same predecessors
    by_code = {t.id: {link.task for link in t.after} for t in tasks}
    got = rules.prerequisites_of(
        graph, scenario.template.id, scenario.m4.id, [a.matter_id for a in approvals]
    )
    assert by_code["M4"] == {"M1"} and got == {scenario.m1.id}


def test_matter_figures_median_p90_rates_and_critical_attribution(world, scenario):
    # when
    by_matter = bottlenecks.stats(user=world.users.coordinator, period=MARCH, by="matter")
    # then M1: handling [5, 6, 5]
    m1 = by_matter[scenario.m1.id]
    assert m1["n"] == 3
    assert m1["median"] == pytest.approx(5.0)
    assert m1["p90"] == pytest.approx(5.8)
    assert m1["overdue_rate"] == pytest.approx(1 / 3)
    assert m1["supplement_rate"] == pytest.approx(2 / 3)
    assert m1["avg_loops"] == pytest.approx(1.5)
    assert m1["critical"] == 1 and m1["critical_days"] == 1  # B: overrun 1, no idle
    assert m1["delay"] == 1
    assert m1["ratio"] == pytest.approx((5 / 5 + 6 / 5 + 5 / 5) / 3)
    # M2 (calendar days): 11 against 10, statutory 8 working days against 20
    m2 = by_matter[scenario.m2.id]
    assert (m2["n"], m2["median"], m2["over"], m2["over_statutory"]) == (1, 11.0, 1, 0)
    assert m2["supplement_rate"] == 0 and m2["avg_loops"] is None
    # M3: idle 3, on time, critical -> adds 3 days; M4: overrun 3 + idle 1 = 4 critical days
    m3, m4 = by_matter[scenario.m3.id], by_matter[scenario.m4.id]
    assert (m3["idle_median"], m3["idle_total"], m3["critical_days"], m3["delay"]) == (3, 3, 3, 3)
    assert (m4["idle_total"], m4["critical"], m4["critical_days"], m4["delay"]) == (1, 1, 4, 4)
    assert m4["critical_share"] == 1


def test_department_and_stage_groups(world, scenario):
    # when
    by_dept = bottlenecks.stats(user=world.users.coordinator, period=MARCH, by="department")
    by_month = bottlenecks.stats(user=world.users.coordinator, period=MARCH, by="department_month")
    # then the ecology bureau handled A, B, C, E, G: [5, 6, 5, 2, 8]
    eco = by_dept[world.eco.id]
    assert eco["n"] == 5 and eco["median"] == 5.0 and eco["p90"] == pytest.approx(7.2)
    assert eco["over"] == 2 and eco["delay"] == 1 + 3 + 4
    assert by_dept[world.water.id]["n"] == 1
    assert by_month[(world.eco.id, date(2025, 3, 1))]["n"] == 5
    stage = bottlenecks.stats(user=world.users.coordinator, period=MARCH, by="stage")
    assert sum(v["n"] for v in stage.values()) == 6


def test_a_company_counts_only_its_own_projects(world, scenario):
    # given company1 owns project 1 only (cases A, D, E)
    # when
    by_matter = bottlenecks.stats(user=world.users.company, period=MARCH, by="matter")
    # then
    assert by_matter[scenario.m1.id]["n"] == 1
    assert by_matter[scenario.m1.id]["median"] == 5.0
    assert scenario.m4.id not in by_matter
    assert sum(v["n"] for v in by_matter.values()) == 3


def test_the_percentile_aggregate_interpolates_like_the_python_one(world, scenario):
    # given the stored facts' handling times and idle times (with NULLs)
    casefacts.refresh_all()
    handling = list(CaseFact.objects.values_list("handling", flat=True))
    idle = [v for v in CaseFact.objects.values_list("idle", flat=True) if v is not None]
    # when the database aggregates them (percentile_cont, or its SQLite stand-in)
    got = CaseFact.objects.aggregate(
        h25=PercentileCont("handling", 0.25),
        h90=PercentileCont("handling", 0.9),
        i50=PercentileCont("idle", 0.5),
    )
    # then the same values as the Python arithmetic
    assert got["h25"] == pytest.approx(aggregates.percentile(handling, 0.25))
    assert got["h90"] == pytest.approx(aggregates.percentile(handling, 0.9))
    assert got["i50"] == pytest.approx(aggregates.percentile(idle, 0.5))


def test_percentile_interpolates_like_percentile_cont():
    assert aggregates.percentile([1, 2, 3, 4], 0.5) == 2.5
    assert aggregates.percentile([10], 0.9) == 10
    assert aggregates.percentile([], 0.5) is None
    assert aggregates.percentile([0, 10], 0.9) == pytest.approx(9.0)


def test_completion_matters_have_no_idle_time(world, scenario):
    # given M3 (which waits for M1 and M2) were a completion-stage matter: the time after its
    # prerequisites is the construction itself, not time lost
    scenario.e.matter.stage = "completion"
    scenario.e.matter.save()
    # when
    rows = stored(world.users.coordinator)
    # then
    assert rows[scenario.e.id].idle is None
    assert rows[scenario.g.id].idle == 1


class Weekdays:
    """A calendar without holidays."""

    def is_workday(self, d: date) -> bool:
        return d.weekday() < 5


def test_the_rules_need_no_database():
    # given a case waiting for matter 1 (decided Thu 02-27), submitted and accepted Mon 03-03,
    # decided Fri 03-14, paused Wed 03-05 .. Mon 03-10 for a supplement and once for nothing
    counter = rules.DayCounter(Weekdays(), date(2025, 1, 1), date(2025, 12, 31))
    graph = SimpleNamespace(prerequisites={2: {1}}, template_links={})
    case = rules.Case(
        id=7,
        project_id=1,
        template_id=None,
        matter_id=2,
        department_id=3,
        stage=Stage.LAND_PLANNING,
        unit=Unit.WORKDAY,
        committed_limit=5,
        statutory_limit=10,
        statutory_unit=Unit.DAY,
        critical=True,
        accepted=date(2025, 3, 3),
        decided=date(2025, 3, 14),
        submitted=date(2025, 3, 3),
        month=date(2025, 3, 1),
    )
    pauses = [
        (PauseReason.SUPPLEMENT, date(2025, 3, 5), date(2025, 3, 10)),
        (PauseReason.EXPERT_REVIEW, date(2025, 3, 14), None),  # open, clipped: nothing lost
    ]
    done = timezone.make_aware(datetime(2025, 2, 27, 16))
    siblings = {1: (Status.APPROVED, done), 2: (Status.APPROVED, None)}
    # when
    fact = rules.case_fact(case, pauses, siblings, graph, counter)
    # then 9 working days less 3 paused; 11 calendar days less 5; idle Fri 02-28 and Mon 03-03
    assert (fact.handling, fact.handling_statutory, fact.supplements) == (6, 6, 1)
    assert (fact.idle, fact.overrun, fact.delay) == (2, 1, 3)
    assert fact.overdue and not fact.overdue_statutory
    # and without a decided prerequisite there is no idle time
    siblings[1] = (Status.ACCEPTED, None)
    assert rules.case_fact(case, pauses, siblings, graph, counter).idle is None
