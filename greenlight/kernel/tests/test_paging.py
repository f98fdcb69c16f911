"""Pages hold the same rows in the same order as slicing the queryset: a shallow page in one
query, a deep one (from `direct_below` rows on) in two, ids first, whatever its depth."""

from datetime import date

import pytest
from django.core.paginator import Paginator
from django.db.models import F

from greenlight.kernel.paging import IdsFirst
from greenlight.projects.models import Project
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("direct_below", [0, 10, 1000])
def test_every_page_holds_the_querysets_rows_in_its_order(direct_below, django_assert_num_queries):
    for i in range(23):
        f.ProjectFactory(is_major=i % 4 == 0)
    qs = Project.objects.select_related("owner", "region").order_by("-is_major", "-id")
    pages = IdsFirst(qs)
    pages.direct_below = direct_below
    assert pages.count() == len(pages) == 23
    for start in (0, 5, 10, 20, 22, 30):
        deep = start >= direct_below
        # a deep page past the end reads nothing (the back half walks from the end: no row)
        with django_assert_num_queries((2 if start < 23 else 0) if deep else 1):
            rows = pages[start : start + 5]
        assert [p.pk for p in rows] == list(qs.values_list("pk", flat=True)[start : start + 5])
    # the joined rows come with the page (no query per row), shallow or deep
    for start in (0, 12):
        with django_assert_num_queries(2 if start >= direct_below else 1):
            assert all(p.owner.name and p.region.code for p in pages[start : start + 5])


@pytest.mark.parametrize("direct_below", [0, 1000])
def test_value_rows_pass_through_row_in_order(direct_below):
    for i in range(7):
        f.ProjectFactory(is_major=i % 3 == 0)
    qs = Project.objects.order_by("-is_major", "-id")
    pages = IdsFirst(qs, values=["id", "name"], row=lambda v: (v["id"], v["name"]))
    pages.direct_below = direct_below
    assert pages[2:6] == list(qs.values_list("id", "name")[2:6])


def test_djangos_paginator_takes_it_without_an_unordered_warning(recwarn):
    for _ in range(3):
        f.ProjectFactory()
    page = Paginator(IdsFirst(Project.objects.order_by("-id")), 2).get_page(2)
    assert [p.pk for p in page] == list(
        Project.objects.order_by("-id").values_list("pk", flat=True)
    )[2:]
    assert not [w for w in recwarn if "UnorderedObjectListWarning" in str(w.category)]


@pytest.mark.parametrize(
    "ordering",
    [
        ("-is_major", "-id"),
        ("planned_start", "-id"),  # NULLs among the values: the reversal mirrors where they go
        (F("planned_start").asc(nulls_last=True), "name", "id"),
        (F("planned_start").desc(nulls_first=True), "-id"),
    ],
)
def test_the_back_half_read_from_the_end_holds_the_same_rows(ordering, django_assert_num_queries):
    """A deep page past the middle reads the reversed ordering from the end and turns it round:
    the same rows in the same order as slicing forward, for every page size and offset."""
    for i in range(17):
        f.ProjectFactory(
            is_major=i % 4 == 0,
            name=f"项目{i % 5}",
            planned_start=None if i % 3 == 0 else date(2026, 1 + i % 6, 1),
        )
    qs = Project.objects.order_by(*ordering)
    forward = list(qs.values_list("pk", flat=True))
    pages = IdsFirst(qs, values=["id"], row=lambda v: v["id"])
    pages.direct_below = 0
    assert pages.count() == 17
    for size in (1, 4, 5, 17):
        for start in range(0, 19):
            with django_assert_num_queries(2 if start < 17 else 0):
                assert pages[start : start + size] == forward[start : start + size], (start, size)
