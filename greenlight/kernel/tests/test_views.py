"""The shared view helpers: permission checks, domain errors on forms, paginated lists."""

import pytest
from django import forms
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import RequestFactory

from greenlight.kernel.errors import DomainError
from greenlight.kernel.views import add_form_error, paginate, require


class _Form(forms.Form):
    due = forms.DateField()


def test_require_refuses_unless_allowed():
    require(True)
    with pytest.raises(PermissionDenied):
        require(False)


@pytest.mark.parametrize(
    ("field", "where"),
    [("due", "due"), ("action_items.0.due", "due"), ("other", None), (None, None)],
)
def test_a_domain_error_lands_on_the_field_it_names_or_on_the_form(field, where):
    form = _Form({"due": "2026-01-01"})
    assert form.is_valid()
    add_form_error(form, DomainError("不能早于会议日", field=field))
    assert form.errors == {where or "__all__": ["不能早于会议日"]}


def test_paginate_gives_the_page_and_the_query_without_page():
    request = RequestFactory().get("/", {"q": "园区", "page": "2"})
    page, query = paginate(request, list(range(25)), 10)
    assert list(page) == list(range(10, 20)) and query == "q=%E5%9B%AD%E5%8C%BA"
    html = render_to_string("kernel/pager.html", {"page": page, "query": query})
    assert f"?{query}&page=1" in html and f"?{query}&page=3" in html
    # a page out of range is the last; a single page has no pager
    assert paginate(RequestFactory().get("/", {"page": "9"}), list(range(25)), 10)[0].number == 3
    one, _query = paginate(RequestFactory().get("/"), [1], 10)
    assert render_to_string("kernel/pager.html", {"page": one, "query": ""}).strip() == ""
