"""The per-case fact table: the rules' figures, refreshed by the tick and the command."""

from dataclasses import fields
from datetime import date
from io import StringIO

from django.core.management import call_command

from greenlight.analytics import bottlenecks, casefacts, rules
from greenlight.analytics.models import CaseFact
from greenlight.approvals.models import ApprovalEvent

from .conftest import at, decided

MARCH = rules.Period(date(2025, 3, 1), date(2025, 4, 1))
FIGURES = [f.name for f in fields(rules.Fact) if f.name != "id"]


def test_stored_facts_are_the_rules_figures(world, scenario):
    # when the tick writes the facts
    casefacts.refresh_changed()
    stored = {
        c.approval_id: c for c in bottlenecks.visible(user=world.users.coordinator, period=MARCH)
    }
    # then every stored case's derived columns follow from its figures as the rules derive them
    s = scenario
    assert stored.keys() == {s.a.id, s.b.id, s.c.id, s.d.id, s.e.id, s.g.id}
    for c in stored.values():
        f = rules.Fact(id=c.approval_id, **{n: getattr(c, n) for n in FIGURES})
        assert (c.overdue, c.overdue_statutory, c.delay) == (
            f.overdue,
            f.overdue_statutory,
            f.delay,
        )
        assert c.month == date(2025, 3, 1)
    # and the hand-checked figures (see test_facts)
    assert stored[s.d.id].handling == 11 and stored[s.d.id].handling_statutory == 8
    assert stored[s.b.id].supplements == 1 and stored[s.b.id].critical
    assert stored[s.e.id].idle == 3 and stored[s.g.id].delay == 4 and stored[s.a.id].idle is None
    assert stored[s.b.id].region_id == s.p2.region_id


def test_stats_store_the_facts_a_case_lacks(world, scenario):
    # given no refresh has run
    assert not CaseFact.objects.exists()
    # when
    by_matter = bottlenecks.stats(user=world.users.coordinator, period=MARCH, by="matter")
    # then the figures are complete and the facts are stored
    assert by_matter[scenario.m1.id]["n"] == 3
    assert CaseFact.objects.filter(approval_id=scenario.g.id, idle=1).exists()


def test_facts_are_scoped_like_the_approvals(world, scenario):
    # given
    casefacts.refresh_changed()
    # when
    company = bottlenecks.stats(user=world.users.company, period=MARCH, by="matter")
    nanshan = bottlenecks.stats(user=world.users.nanshan, period=MARCH, by="matter")
    # then company1 sees its project's three cases, another district none of the scenario's
    assert sum(v["n"] for v in company.values()) == 3
    assert scenario.m4.id not in nanshan and sum(v["n"] for v in nanshan.values()) <= 1


def test_tick_refresh_is_idempotent_and_picks_up_a_new_decision(world, scenario):
    # given a first run
    first = casefacts.refresh_changed()
    count = CaseFact.objects.count()
    # when it runs again with nothing new
    again = casefacts.refresh_changed()
    # then nothing is recomputed
    assert first["facts"] == count > 0
    assert again == {"projects": 0, "facts": 0, "critical": 0}
    assert CaseFact.objects.count() == count
    # when an approval is decided (with its event) and the tick runs
    h = decided(scenario.p3, scenario.m4, acc=at(3, 24), dec=at(3, 26, 16), critical=True)
    ApprovalEvent.objects.create(
        approval=h, kind="approved", to_status="approved", at=at(3, 26, 16)
    )
    third = casefacts.refresh_changed()
    # then its fact is there (2 working days, on time) and only its project was redone
    fact = CaseFact.objects.get(approval=h)
    assert (fact.handling, fact.overdue, fact.critical) == (2, False, True)
    assert third["projects"] == 1 and CaseFact.objects.count() == count + 1
    assert casefacts.refresh_changed()["facts"] == 0
    # when an already decided case changes (decision moved two working days later)
    scenario.a.decided_at = at(3, 12, 16)
    scenario.a.save(update_fields=["decided_at"])
    ApprovalEvent.objects.create(
        approval=scenario.a, kind="approved", to_status="approved", at=at(3, 12, 16)
    )
    casefacts.refresh_changed()
    # then its fact follows
    assert CaseFact.objects.get(approval=scenario.a).handling == 7


def test_tick_follows_the_critical_flag_and_is_registered(world, scenario):
    # given
    from greenlight.site import tick

    casefacts.refresh_changed()
    scenario.a.critical = True
    scenario.a.save(update_fields=["critical"])
    # when
    result = tick.run()
    # then
    assert result["greenlight.analytics.casefacts:refresh_changed"]["critical"] == 1
    assert CaseFact.objects.get(approval=scenario.a).critical


def test_refresh_command_rebuilds_everything(world, scenario):
    # given a stale fact
    casefacts.refresh_changed()
    CaseFact.objects.filter(approval=scenario.b).update(handling=99)
    out, err = StringIO(), StringIO()
    # when
    call_command("analytics", "refresh", "--all", stdout=out, stderr=err)
    # then
    assert CaseFact.objects.get(approval=scenario.b).handling == 6
    assert "facts of" in out.getvalue() and "facts [" in err.getvalue()


def test_a_read_folds_in_a_decision_the_tick_has_not_seen(world, scenario):
    # given facts refreshed by the tick, then a new decision with its event
    casefacts.refresh_changed()
    h = decided(scenario.p3, scenario.m4, acc=at(3, 24), dec=at(3, 26, 16))
    ApprovalEvent.objects.create(
        approval=h, kind="approved", to_status="approved", at=at(3, 26, 16)
    )
    # when
    by_matter = bottlenecks.stats(user=world.users.coordinator, period=MARCH, by="matter")
    # then the new case counts at once
    assert by_matter[scenario.m4.id]["n"] == 2
