"""Load a province-scale data set for the analytics benchmark into its own PostgreSQL database.

    .venv/bin/python bench/analytics_generate.py --projects 130000     # ~3M approvals
    .venv/bin/python bench/analytics_generate.py --projects 450        # ~10k approvals

Bulk loads with COPY (psycopg 3): projects across 100 districts of one province, each project's
approvals from its catalog template with a plausible history (submitted, accepted, sometimes
paused for supplements, approved) following the template's prerequisite order, their events and
pauses, two problem tickets a project with their events, and monthly investment reports of the
started projects. Decisions spread over 2022-2026. Replaces whatever the bench database holds.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from copyload import Spool, ensure_database, vacuum_analyze  # noqa: E402  (bench/ on sys.path)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/greenlight_bench"
DISTRICTS = 100
TZ8 = timedelta(hours=8)


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenlight.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


PROJECT_COLUMNS = (
    "id code name owner_id region_id subdistrict_id category industry template_id "
    "total_investment land_area stage is_major plan_start land_acquired_on planned_start "
    "actual_start completed_on forecast_start description created_at updated_at"
).split()


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A local (UTC+8) moment as an aware UTC datetime."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - TZ8


class World:
    """Regions, departments, subdistricts, owners and the catalog, made with the ORM (small)."""

    def __init__(self, rng: random.Random):
        from greenlight.accounts.choices import RegionLevel
        from greenlight.accounts.models import Organization, Region, Subdistrict, User
        from greenlight.catalog import seeding
        from greenlight.catalog.models import Matter, Template
        from greenlight.kernel.roles import Role
        from greenlight.plans import planning

        if not Matter.objects.exists():
            seeding.load_catalog()
        province, _ = Region.objects.get_or_create(
            code="440000", defaults={"name": "广东省", "level": RegionLevel.PROVINCE}
        )
        self.districts = []
        for i in range(DISTRICTS):
            code = f"44{i // 10 + 1:02d}{i % 10 + 1:02d}"
            region, _ = Region.objects.get_or_create(
                code=code,
                defaults={
                    "name": f"测试区{i + 1}",
                    "level": RegionLevel.DISTRICT,
                    "parent": province,
                },
            )
            seeding.seed_departments(region)
            for s in range(8):
                Subdistrict.objects.get_or_create(region=region, name=f"街道{s + 1}")
            self.districts.append(region)
        self.departments = {
            (d.region_id, d.kind): d.pk for r in self.districts for d in r.departments.all()
        }
        self.subdistricts = {}
        for s in Subdistrict.objects.filter(region__in=self.districts):
            self.subdistricts.setdefault(s.region_id, []).append(s.pk)
        if not Organization.objects.filter(credit_code__startswith="91BENCH").exists():
            Organization.objects.bulk_create(
                [
                    Organization(
                        region=r, name=f"{r.name}测试企业{k}", credit_code=f"91BENCH{r.code}{k:05d}"
                    )
                    for r in self.districts
                    for k in range(40)
                ]
            )
        self.owners = {}
        for pk, region_id in Organization.objects.filter(
            credit_code__startswith="91BENCH"
        ).values_list("pk", "region_id"):
            self.owners.setdefault(region_id, []).append(pk)
        user = User.objects.filter(username="bench_province").first()
        if user is None:
            user = User(username="bench_province", role=Role.LEADER, region=province)
            user.set_unusable_password()
            user.save()
        self.user = user
        self.templates = {}
        graph = planning.CatalogGraph.load()
        for t in Template.objects.prefetch_related("items__matter"):
            matters = [it.matter for it in t.items.all()]
            ids = {m.pk for m in matters}
            preds = {
                m.pk: {p for p in graph.prerequisites.get(m.pk, ()) if p in ids}
                | {p for (p, s) in graph.template_links.get(t.pk, {}) if s == m.pk and p in ids}
                for m in matters
            }
            self.templates[t.pk] = (t.category, _topological(matters, preds), preds)
        self.rng = rng


def _topological(matters, preds):
    done, order = set(), []
    pending = list(matters)
    while pending:
        rest = []
        for m in pending:
            if preds[m.pk] <= done:
                order.append(m)
            else:
                rest.append(m)
        if len(rest) == len(pending):  # a cycle would be a catalog error; keep file order
            order += rest
            break
        done |= {m.pk for m in order}
        pending = rest
    return order


def generate(args) -> dict:
    from django.db import connection, transaction

    from greenlight.approvals.models import Approval, ApprovalEvent, Pause
    from greenlight.kernel.progress import Progress
    from greenlight.projects.models import InvestmentReport, Project

    rng = random.Random(args.seed)
    with connection.cursor() as c:
        c.execute(
            "TRUNCATE approvals_approvalevent, approvals_pause, approvals_approval, "
            "projects_investmentreport, projects_project RESTART IDENTITY CASCADE"
        )
        try:
            c.execute("TRUNCATE tickets_ticketevent, tickets_ticket RESTART IDENTITY CASCADE")
        except Exception:  # noqa: BLE001 - tickets are optional
            pass
    world = World(rng)
    _targets(world, rng)
    today = date(2026, 11, 26)
    counts = {"projects": 0, "approvals": 0, "events": 0, "pauses": 0, "tickets": 0, "reports": 0}
    approvals, events = Spool(Approval), Spool(ApprovalEvent)
    pauses, reports, started = Spool(Pause), Spool(InvestmentReport), []
    progress = Progress("simulate", args.projects)
    projects = Spool(Project)
    tpl_ids = list(world.templates)
    for pid in range(1, args.projects + 1):
        region = world.districts[pid % DISTRICTS]
        tid = rng.choice(tpl_ids)
        category, order, preds = world.templates[tid]
        start = date(2022, 1, 3) + timedelta(days=rng.randint(0, 1700))
        end, rows = _simulate(rng, pid, region.pk, order, preds, start, today, world, counts)
        approvals += rows[0]
        events += rows[1]
        pauses += rows[2]
        stage, actual = "approval", None
        if end and end < today - timedelta(days=30) and rng.random() < 0.8:
            actual = end + timedelta(days=rng.randint(1, 30))
            stage = "construction" if rng.random() < 0.85 else "completed"
        elif not rows[0]:
            stage = rng.choice(["planning", "preparation"])
        invest = rng.choice([300, 800, 2000, 5000, 12000, 40000, 150000])
        projects.append(
            _project(pid, region, tid, category, invest, stage, start, actual, end, world, rng)
        )
        if actual and invest >= 500:
            started.append((pid, actual, invest))
        progress.advance()
    progress.finish()
    for pid, actual, invest in started:
        month = actual.replace(day=1)
        for _ in range(24):
            if month >= today.replace(day=1):
                break
            counts["reports"] += 1
            reports.append(
                (
                    counts["reports"],
                    pid,
                    month,
                    round(invest / 30 * rng.uniform(0.3, 1.6), 2),
                    at(month, 9),
                )
            )
            month = (month + timedelta(days=32)).replace(day=1)
    total = len(projects) + len(approvals) + len(events) + len(pauses) + len(reports)
    load = Progress("copy", total)
    with transaction.atomic(), connection.cursor() as c:
        cur = c.cursor
        counts["projects"] = projects.load(cur, load)
        counts["approvals"] = approvals.load(cur, load)
        counts["events"] = events.load(cur, load)
        counts["pauses"] = pauses.load(cur, load)
        reports.load(cur, load)
        counts["tickets"] = _tickets(cur, args, world, rng, today)
        for table in (
            "projects_project",
            "approvals_approval",
            "approvals_approvalevent",
            "approvals_pause",
            "projects_investmentreport",
        ):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
    load.finish()
    return counts


def _targets(world, rng) -> None:
    """Each district's annual targets (new starts, investment in 万元) for 2022-2026, about what
    its projects reach, so that the comparison shows districts above and below their target."""
    from greenlight.pipeline.models import AnnualTarget

    AnnualTarget.objects.filter(region__in=world.districts).delete()
    issued = datetime(2022, 1, 1, tzinfo=UTC)
    AnnualTarget.objects.bulk_create(
        AnnualTarget(
            region=r,
            year=year,
            new_starts=rng.randint(150, 300),
            investment=rng.randint(200, 900) * 10000,
            issued_at=issued,
        )
        for r in world.districts
        for year in range(2022, 2027)
    )


def _project(pid, region, tid, category, invest, stage, start, actual, end, world, rng):
    now = datetime(2026, 11, 26, tzinfo=UTC)
    planned = (end or start + timedelta(days=200)) + timedelta(days=rng.randint(-40, 40))
    forecast = actual or (
        end + timedelta(days=1) if end else start + timedelta(days=rng.randint(150, 400))
    )
    return dict(
        zip(
            PROJECT_COLUMNS,
            (
                pid,
                f"{2022 + pid % 5}-{region.code}-{pid % 90 + 10:02d}-03-{pid:06d}",
                f"测试项目{pid}",
                rng.choice(world.owners[region.pk]),
                region.pk,
                rng.choice(world.subdistricts[region.pk]),
                category,
                rng.choice(
                    [
                        "manufacturing",
                        "electronics",
                        "logistics",
                        "education",
                        "health",
                        "municipal",
                    ]
                ),
                tid,
                invest,
                None,
                stage,
                invest >= 40000 and rng.random() < 0.3,
                start,
                None,
                planned,
                actual,
                None,
                forecast,
                "",
                now,
                now,
            ),
            strict=True,
        )
    )


def _simulate(rng, pid, region_id, order, preds, start, today, world, counts):
    """Histories of one project's approvals in prerequisite order; returns the last decision."""
    approvals, events, pauses = [], [], []
    decided: dict[int, date] = {}
    last = None
    for m in order:
        ready = max((decided[p] for p in preds[m.pk] if p in decided), default=start)
        if any(p not in decided for p in preds[m.pk]):
            ready = None
        counts["approvals"] += 1
        aid = counts["approvals"]
        dept = world.departments[(region_id, m.department_kind)]
        status, sub, acc, dec, due = "not_started", None, None, None, None
        if ready is not None:
            idle = rng.choice([0, 0, 1, 2, 3, 5, 8, 15, 30])
            sub_day = ready + timedelta(days=idle)
            if sub_day <= today:
                sub, status = at(sub_day, 9, rng.randint(0, 59)), "submitted"
                acc_day = sub_day + timedelta(days=rng.choice([0, 0, 1]))
                acc, status = at(acc_day, 10, 30), "accepted"
                limit = m.committed_limit * (1.4 if m.committed_unit == "workday" else 1)
                days = max(1, round(limit * rng.uniform(0.4, 1.5)))
                due = at(acc_day + timedelta(days=round(limit)), 18)
                paused = rng.random() < 0.14
                dec_day = acc_day + timedelta(days=days + (rng.randint(3, 12) if paused else 0))
                counts["events"] += 1
                events.append(
                    (counts["events"], aid, "submitted", "not_started", "submitted", sub, None, "")
                )
                counts["events"] += 1
                events.append(
                    (counts["events"], aid, "accepted", "submitted", "accepted", acc, None, "")
                )
                if paused:
                    pb = acc_day + timedelta(days=max(1, days // 3))
                    pe = pb + timedelta(days=rng.randint(3, 12))
                    if pe <= today:
                        counts["pauses"] += 1
                        pauses.append(
                            (counts["pauses"], aid, "supplement", "", at(pb, 15), at(pe, 9))
                        )
                        counts["events"] += 1
                        events.append(
                            (
                                counts["events"],
                                aid,
                                "paused",
                                "accepted",
                                "paused",
                                at(pb, 15),
                                None,
                                "supplement",
                            )
                        )
                        counts["events"] += 1
                        events.append(
                            (
                                counts["events"],
                                aid,
                                "resumed",
                                "paused",
                                "accepted",
                                at(pe, 9),
                                None,
                                "",
                            )
                        )
                if dec_day <= today:
                    dec, status = at(dec_day, 16), "approved"
                    counts["events"] += 1
                    events.append(
                        (counts["events"], aid, "approved", "accepted", "approved", dec, None, "")
                    )
                    decided[m.pk] = dec_day
                    last = max(last, dec_day) if last else dec_day
        critical = rng.random() < 0.3
        approvals.append(
            {
                "id": aid,
                "project_id": pid,
                "matter_id": m.pk,
                "department_id": dept,
                "region_id": region_id,
                "status": status,
                "submitted_at": sub,
                "accepted_at": acc,
                "decided_at": dec,
                "due_at": due,
                "float_days": 0 if critical else rng.randint(1, 30),
                "critical": critical,
                "version": 1,
                "joint_lead": False,
            }
        )
    return last if len(decided) == len(order) else None, (approvals, events, pauses)


def _tickets(cur, args, world, rng, today) -> int:
    try:
        from greenlight.tickets.models import Ticket, TicketEvent
    except ImportError:
        return 0
    n = args.projects * 2 if args.tickets is None else args.tickets
    from greenlight.kernel.progress import Progress

    tickets, events = Spool(Ticket), Spool(TicketEvent)
    eid = 0
    for tid in range(1, n + 1):
        pid = rng.randint(1, args.projects)
        region = world.districts[pid % DISTRICTS]
        day = date(2022, 1, 3) + timedelta(days=rng.randint(0, 1780))
        rep = at(day, 10)
        fb = rep + timedelta(days=rng.choice([0, 1, 1, 2]))
        dept = world.departments[
            (region.pk, rng.choice(["planning", "housing", "ecology", "water"]))
        ]
        done = day < today - timedelta(days=20)
        tickets.append(
            (
                tid,
                pid,
                f"问题{tid}",
                "",
                rng.choice(["land", "planning", "funds", "site"]),
                "web",
                world.user.pk,
                rep,
                "closed" if done else "feedback",
                dept,
                rep,
                rep + timedelta(days=1),
                rep + timedelta(days=2),
                rep + timedelta(days=3),
                fb,
                fb + timedelta(days=1) if done else None,
                fb + timedelta(days=2) if done else None,
                fb + timedelta(days=10) if done else None,
                fb + timedelta(days=12) if done else None,
                None,
                None,
                "",
                0,
                rep,
            )
        )
        for kind, moment in (("reported", rep), ("feedback", fb)) + (
            (("resolved", fb + timedelta(days=10)),) if done else ()
        ):
            eid += 1
            events.append(
                (
                    eid,
                    tid,
                    kind,
                    "feedback" if kind == "feedback" else "",
                    moment,
                    None,
                    "",
                    "",
                    "",
                    "",
                )
            )
    tickets.load(cur, Progress("tickets", len(tickets)))
    events.load(cur, Progress("ticket events", len(events)))
    for table in ("tickets_ticket", "tickets_ticketevent"):
        cur.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--projects", type=int, default=130000)
    parser.add_argument("--tickets", type=int, default=None, help="default: 2 per project")
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    args = parser.parse_args()
    ensure_database(args.database_url)
    setup(args.database_url)
    t0 = time.monotonic()
    counts = generate(args)
    print(f"loaded in {time.monotonic() - t0:.0f} s: {counts}")
    from greenlight.analytics import casefacts
    from greenlight.kernel.progress import Progress
    from greenlight.projects import totals

    t1 = time.monotonic()  # the reports came by COPY, past the services that keep the totals
    cells = totals.rebuild()
    print(f"monthly investment totals in {time.monotonic() - t1:.0f} s: {cells} cells")
    t1 = time.monotonic()
    facts = casefacts.refresh_all(progress_factory=lambda total: Progress("facts", total))
    print(f"case facts in {time.monotonic() - t1:.0f} s: {facts}")
    vacuum_analyze(args.database_url)


if __name__ == "__main__":
    main()
