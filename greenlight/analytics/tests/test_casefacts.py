"""The per-case fact table: equal to the live computation, refreshed by the tick."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from greenlight.analytics import casefacts, facts
from greenlight.analytics.models import CaseFact
from greenlight.approvals.models import ApprovalEvent

from .conftest import at, decided

MARCH = facts.Period(date(2025, 3, 1), date(2025, 4, 1))


def _live(user):
    return {f.id: f for f in facts.facts(facts.cases(user=user, period=MARCH), period=MARCH)}


def test_stored_facts_equal_the_live_computation(world, scenario):
    # given the facts written by the refresh
    casefacts.refresh_changed()
    live = _live(world.users.coordinator)
    # when
    stored = {c.approval_id: c for c in CaseFact.objects.filter(approval_id__in=live)}
    # then every figure matches the hand-checked live facts
    assert stored.keys() == live.keys()
    for aid, f in live.items():
        c = stored[aid]
        assert (c.handling, c.handling_statutory, c.idle, c.supplements) == (
            f.handling,
            f.handling_statutory,
            f.idle,
            f.supplements,
        )
        assert (c.critical, c.delay, c.overdue, c.month) == (
            f.critical,
            f.delay,
            f.handling > f.committed_limit,
            f.month,
        )
    s = scenario
    assert stored[s.d.id].handling == 11 and stored[s.d.id].handling_statutory == 8
    assert stored[s.e.id].idle == 3 and stored[s.g.id].delay == 4
    assert stored[s.b.id].region_id == s.p2.region_id


@pytest.mark.parametrize("by", facts.GROUPS)
def test_stats_from_facts_equal_the_live_stats(world, scenario, by):
    # given
    casefacts.refresh_changed()
    # when
    stored = facts.stats(user=world.users.coordinator, period=MARCH, by=by)
    live = facts.live_stats(user=world.users.coordinator, period=MARCH, by=by)
    # then
    assert stored.keys() == live.keys()
    for k in live:
        for name, value in live[k].items():
            assert stored[k][name] == pytest.approx(value), (k, name)


def test_stats_store_the_facts_a_case_lacks(world, scenario):
    # given no refresh has run
    assert not CaseFact.objects.exists()
    # when
    by_matter = facts.stats(user=world.users.coordinator, period=MARCH, by="matter")
    # then the figures are complete and the facts are stored
    assert by_matter[scenario.m1.id]["n"] == 3
    assert CaseFact.objects.filter(approval_id=scenario.g.id, idle=1).exists()


def test_facts_are_scoped_like_the_approvals(world, scenario):
    # given
    casefacts.refresh_changed()
    # when
    company = facts.stats(user=world.users.company, period=MARCH, by="matter")
    nanshan = facts.stats(user=world.users.nanshan, period=MARCH, by="matter")
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
    by_matter = facts.stats(user=world.users.coordinator, period=MARCH, by="matter")
    # then the new case counts at once
    assert by_matter[scenario.m4.id]["n"] == 2
