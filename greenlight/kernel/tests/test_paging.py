"""Pages hold the same rows in the same order as slicing the queryset: a shallow page in one
query, a deep one (from `direct_below` rows on) in two, ids first, whatever its depth."""

import pytest
from django.core.paginator import Paginator

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
        with django_assert_num_queries(2 if deep and start < 23 else 1):
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
