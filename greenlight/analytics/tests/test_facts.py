"""Every bottleneck figure against hand-computed values (see conftest's scenario)."""

from datetime import date

import pytest

from greenlight.analytics import facts
from greenlight.approvals.models import Approval
from greenlight.plans import planning

MARCH = facts.Period(date(2025, 3, 1), date(2025, 4, 1))


def test_handling_time_excludes_pauses_and_counts_in_the_matters_unit(world, scenario):
    # given the scenario's decided cases of March
    # when the facts are computed
    rows = {
        x.id: x
        for x in facts.facts(facts.cases(user=world.users.coordinator, period=MARCH), period=MARCH)
    }
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
    rows = {
        x.id: x
        for x in facts.facts(facts.cases(user=world.users.coordinator, period=MARCH), period=MARCH)
    }
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
    got = facts.prerequisites_of(
        graph, scenario.template.id, scenario.m4.id, [a.matter_id for a in approvals]
    )
    assert by_code["M4"] == {"M1"} and got == {scenario.m1.id}


def test_matter_figures_median_p90_rates_and_critical_attribution(world, scenario):
    # when
    by_matter = facts.stats(user=world.users.coordinator, period=MARCH, by="matter")
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
    by_dept = facts.stats(user=world.users.coordinator, period=MARCH, by="department")
    by_month = facts.stats(user=world.users.coordinator, period=MARCH, by="department_month")
    # then the ecology bureau handled A, B, C, E, G: [5, 6, 5, 2, 8]
    eco = by_dept[world.eco.id]
    assert eco["n"] == 5 and eco["median"] == 5.0 and eco["p90"] == pytest.approx(7.2)
    assert eco["over"] == 2 and eco["delay"] == 1 + 3 + 4
    assert by_dept[world.water.id]["n"] == 1
    assert by_month[(world.eco.id, date(2025, 3, 1))]["n"] == 5
    stage = facts.stats(user=world.users.coordinator, period=MARCH, by="stage")
    assert sum(v["n"] for v in stage.values()) == 6


def test_a_company_counts_only_its_own_projects(world, scenario):
    # given company1 owns project 1 only (cases A, D, E)
    # when
    by_matter = facts.stats(user=world.users.company, period=MARCH, by="matter")
    # then
    assert by_matter[scenario.m1.id]["n"] == 1
    assert by_matter[scenario.m1.id]["median"] == 5.0
    assert scenario.m4.id not in by_matter
    assert sum(v["n"] for v in by_matter.values()) == 3


def test_python_and_sql_paths_agree(world, scenario):
    # given the same cases through both paths (on SQLite both are the Python path)
    qs = facts.cases(user=world.users.coordinator, period=MARCH)
    # when
    python = facts.aggregate(facts.facts(qs, period=MARCH), by="matter")
    default = facts.stats(user=world.users.coordinator, period=MARCH, by="matter")
    # then
    assert python.keys() == default.keys()
    for k in python:
        for name, value in python[k].items():
            assert default[k][name] == pytest.approx(value), (k, name)


def test_percentile_interpolates_like_percentile_cont():
    assert facts.percentile([1, 2, 3, 4], 0.5) == 2.5
    assert facts.percentile([10], 0.9) == 10
    assert facts.percentile([], 0.5) is None
    assert facts.percentile([0, 10], 0.9) == pytest.approx(9.0)


def test_completion_matters_have_no_idle_time(world, scenario):
    # given M3 (which waits for M1 and M2) were a completion-stage matter: the time after its
    # prerequisites is the construction itself, not time lost
    scenario.e.matter.stage = "completion"
    scenario.e.matter.save()
    # when
    rows = {
        x.id: x
        for x in facts.facts(facts.cases(user=world.users.coordinator, period=MARCH), period=MARCH)
    }
    # then
    assert rows[scenario.e.id].idle is None
    assert rows[scenario.g.id].idle == 1
