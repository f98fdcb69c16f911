"""The fact table against an independent oracle: the same rules as one SQL statement over the
approvals (`bench/analytics_oracle.py`), on the hand-computed scenario plus a seeded quarter of
random cases (holidays, pauses past the decision, late-evening times, rejections, completion)."""

import random
from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from bench.analytics_oracle import live_stats
from greenlight.analytics import bottlenecks, casefacts, rules
from greenlight.analytics.models import CaseFact
from greenlight.approvals.choices import PauseReason, Status
from greenlight.approvals.models import Approval, Pause
from greenlight.catalog.choices import Stage
from tests import factories as f

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the oracle is a PostgreSQL statement (percentile_cont, arrays, AT TIME ZONE); "
    "on SQLite the hand-computed tests in test_facts.py guard the figures",
)

MARCH = rules.Period(date(2025, 3, 1), date(2025, 4, 1))
QUARTER = rules.Period(date(2025, 1, 1), date(2025, 4, 1))
HOURS = (0, 8, 9, 12, 16, 23)  # local; 00:xx and 23:xx sit on the other UTC day


def moment(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.choice(HOURS), rng.randrange(60))))


@pytest.fixture
def quarter(world, scenario):
    """Beside the scenario, 30 projects of both companies through M1..M5 in plan order, from
    January (the Spring Festival) into April."""
    rng = random.Random(20250301)
    s = scenario
    m5 = f.MatterFactory(code="M5", name="竣工联合验收", stage=Stage.COMPLETION, committed_limit=4)
    m5.prerequisites.set([s.m3, s.m4])
    reasons = list(PauseReason.values)
    for i in range(30):
        owner = (world.org1, world.org2)[i % 2]
        p = f.ProjectFactory(owner=owner, template=s.template if i % 3 == 0 else None)
        day = date(2025, 1, 2) + timedelta(days=rng.randrange(50))
        for m in (s.m1, s.m2, s.m3, s.m4, m5):
            if rng.random() < 0.15:
                continue
            acc = moment(day + timedelta(days=rng.choice((0, 0, 1, 3))), rng)
            dec = moment(acc.date() + timedelta(days=rng.randrange(0, 16)), rng)
            dec = max(dec, acc)
            a = f.ApprovalFactory(
                project=p,
                matter=m,
                status=Status.REJECTED if rng.random() < 0.1 else Status.APPROVED,
                submitted_at=None if rng.random() < 0.08 else min(moment(day, rng), acc),
                accepted_at=acc,
                decided_at=dec,
                critical=rng.random() < 0.4,
            )
            for _ in range(rng.choice((0, 0, 0, 1, 1, 2))):
                begin = moment(acc.date() + timedelta(days=rng.randrange(0, 12)), rng)
                end = moment(begin.date() + timedelta(days=rng.randrange(0, 7)), rng)
                Pause.objects.create(
                    approval=a,
                    reason=rng.choice(reasons),
                    started_at=begin,
                    ended_at=None if rng.random() < 0.1 else max(end, begin),
                )
            day = dec.date() + timedelta(days=rng.randrange(0, 9))
    return s


@pytest.mark.parametrize("by", rules.GROUPS)
def test_the_oracle_and_the_fact_table_agree(world, quarter, by):
    # given the facts the tick writes
    casefacts.refresh_changed()
    for user in (world.users.coordinator, world.users.company, world.users.nanshan):
        for period in (MARCH, QUARTER):
            # when
            table = bottlenecks.stats(user=user, period=period, by=by)
            live = live_stats(user=user, period=period, by=by)
            # then the same groups and every figure the same
            assert table.keys() == live.keys(), (user, period)
            for k in live:
                for name, value in live[k].items():
                    assert table[k][name] == pytest.approx(value), (user, period, k, name)
    # and the comparison is not vacuous
    total = bottlenecks.stats(user=world.users.coordinator, period=QUARTER, by="stage")
    assert sum(v["n"] for v in total.values()) > 80
    for figure in ("idle_n", "supplemented", "critical_days", "over", "over_statutory"):
        assert sum(v[figure] for v in total.values()) > 0, figure


FACT_COLUMNS = [f.attname for f in CaseFact._meta.concrete_fields if f.name not in ("computed_at",)]


def test_the_set_based_rebuild_writes_the_rows_the_rules_compute(world, quarter):
    # given the facts the Python rules write (the tick's incremental refresh)
    casefacts.refresh(project_ids=Approval.objects.values_list("project_id", flat=True))
    by_rules = {r[0]: r for r in CaseFact.objects.order_by("pk").values_list(*FACT_COLUMNS)}
    # when the whole table is rebuilt in one statement
    counts = casefacts.refresh_all()
    by_sql = {r[0]: r for r in CaseFact.objects.order_by("pk").values_list(*FACT_COLUMNS)}
    # then the same cases with every column the same
    assert counts["facts"] == len(by_sql) == len(by_rules) > 80
    for pk, row in by_rules.items():
        assert by_sql[pk] == row, dict(
            zip(FACT_COLUMNS, zip(row, by_sql[pk], strict=True), strict=True)
        )
    # and the comparison is not vacuous: idle days, supplements, overdue and delays occur
    rows = list(by_sql.values())
    for name in ("idle", "supplements", "overdue", "overdue_statutory", "delay"):
        column = FACT_COLUMNS.index(name)
        assert any(r[column] for r in rows), name
