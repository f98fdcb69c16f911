"""Small helpers every app's page views share: permission checks, domain errors on forms, and
paginated lists."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator

from .errors import DomainError


def require(allowed: bool) -> None:
    """Refuse the request (403) unless `allowed`."""
    if not allowed:
        raise PermissionDenied


def add_form_error(form, exc: DomainError) -> None:
    """Show a domain error on the form field it names (the last part of a dotted name such as
    `action_items.0.due`), or on the whole form when the form has no such field."""
    name = (exc.field or "").split(".")[-1]
    form.add_error(name if name in form.fields else None, str(exc.message))


def paginate(request, items, per_page: int) -> tuple[Page, str]:
    """The page of `items` the request asks for (`?page=`), and the request's query string
    without `page`, for the pager's links (see kernel/pager.html)."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
