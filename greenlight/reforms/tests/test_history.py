"""Catalog history and days saved, computed from a small catalog change."""

import pytest

from greenlight.catalog import services as catalog_services
from greenlight.catalog.models import Bundle, LimitChange
from greenlight.kernel.errors import DomainError, NotPermitted
from greenlight.reforms import selectors, services
from greenlight.reforms.models import CatalogChange

pytestmark = pytest.mark.django_db


def test_cutting_a_limit_saves_old_minus_new_times_last_years_approvals(tiny, world):
    # when B's committed limit goes from 10 to 6 days through register item 1
    services.change_limit(
        item=tiny.item, matter=tiny.b, limit=6, unit="day", actor=world.users.coordinator
    )
    # then 3 approvals in the last 12 months (the 400-day-old one is out) x 4 days = 12
    change = CatalogChange.objects.get(kind="limit")
    assert change.item == tiny.item
    assert change.before == {"limit": 10, "unit": "day"} and change.after == {
        "limit": 6,
        "unit": "day",
    }
    assert change.approvals_12m == 3 and change.days_saved == 12
    assert change.changed_by == world.users.coordinator
    # and the template: serial 5+10+8=23 -> 19, parallel A->B 15 -> 11, critical path A, B
    (row,) = change.templates
    assert (row["serial_before"], row["serial_after"]) == (23, 19)
    assert (row["parallel_before"], row["parallel_after"]) == (15, 11)
    assert row["critical_before"] == ["A", "B"] == row["critical_after"]
    # and the catalog's own limit history has the row too
    assert LimitChange.objects.get(matter=tiny.b).new_limit == 6
    tiny.b.refresh_from_db()
    assert tiny.b.committed_limit == 6


def test_a_deep_cut_moves_the_critical_path(tiny, world):
    services.change_limit(
        item=tiny.item, matter=tiny.b, limit=2, unit="day", actor=world.users.coordinator
    )
    (row,) = CatalogChange.objects.get().templates
    assert (row["parallel_before"], row["parallel_after"]) == (15, 8)
    assert row["critical_after"] == ["C"]


def test_dropping_a_prerequisite_is_versioned_with_its_template_effect(tiny, world):
    # given B also requires C in the catalog
    catalog_services.save_matter(data={}, prerequisites=["C"], actor=None, matter=tiny.b)
    # when the item removes that prerequisite
    services.change_prerequisites(
        item=tiny.item, matter=tiny.b, codes=[], actor=world.users.coordinator
    )
    # then both changes are versioned; the second is linked and shortens the parallel plan
    first, second = CatalogChange.objects.order_by("id")
    assert first.item is None and first.after == {"prerequisites": ["C"]}
    assert second.item == tiny.item and second.before == {"prerequisites": ["C"]}
    (row,) = second.templates
    assert (row["parallel_before"], row["parallel_after"]) == (18, 15)
    assert second.days_saved == 0


def test_an_unchanged_save_records_nothing(tiny, world):
    catalog_services.save_matter(
        data={"name": "新名称"}, prerequisites=[], actor=None, matter=tiny.b
    )
    assert not CatalogChange.objects.exists()


def test_bundle_change_is_versioned(tiny, world):
    bundle = Bundle.objects.create(code="AC", name="A+C 联办", limit=9, unit="day")
    bundle.matters.set([tiny.a, tiny.c])
    change = services.change_bundle(
        item=tiny.item, bundle=bundle, limit=6, unit="day", actor=world.users.coordinator
    )
    assert change.before["limit"] == 9 and change.after["limit"] == 6
    (row,) = change.templates
    # A and C merged: 9 days then B 10 -> 19; after: 6 + 10 = 16
    assert (row["parallel_before"], row["parallel_after"]) == (19, 16)
    bundle.refresh_from_db()
    assert bundle.limit == 6


def test_register_totals(tiny, world):
    services.change_limit(
        item=tiny.item, matter=tiny.b, limit=6, unit="day", actor=world.users.coordinator
    )
    services.create_item(
        region=world.baoan,
        data={
            "document": "《某规定》",
            "finding": "材料重复提交",
            "kind": "rectify",
            "owner_unit": "区司法局",
            "due": "2025-09-30",
        },
        actor=world.users.coordinator,
    )
    totals = selectors.totals(user=world.users.leader)
    assert totals == {
        "items": 2,
        "immediate": 1,
        "rectify": 1,
        "done": 0,
        "days_saved": 12,
        "documents": 2,
        "units": 2,
    }
    assert selectors.totals(user=world.users.nanshan)["items"] == 0


def test_limit_above_statutory_is_refused(tiny, world):
    with pytest.raises(DomainError) as exc:
        services.change_limit(
            item=tiny.item,
            matter=tiny.b,
            limit=30,
            unit=tiny.b.statutory_unit,
            actor=world.users.coordinator,
        )
    assert exc.value.field == "limit"


def test_department_reports_only_status_and_evidence(tiny, world):
    services.update_item(
        item=tiny.item,
        data={"status": "in_progress", "evidence": "已印发通知"},
        actor=world.users.approver,
    )
    with pytest.raises(NotPermitted):
        services.update_item(item=tiny.item, data={"due": "2026-01-01"}, actor=world.users.approver)
    with pytest.raises(DomainError) as exc:
        services.update_item(
            item=tiny.item, data={"status": "done", "evidence": ""}, actor=world.users.approver
        )
    assert exc.value.field == "evidence"
