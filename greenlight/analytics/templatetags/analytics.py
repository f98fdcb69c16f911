"""Template filters of the analytics pages."""

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def pct(value, digits: int = 0):
    """0.237 -> "24%"; None -> "—"."""
    if value is None or value == "":
        return "—"
    return f"{100 * float(value):.{int(digits)}f}%"


@register.filter
def last_day(end):
    """The last day of a period whose end is exclusive."""
    return end - timedelta(days=1) if end else end


@register.filter
def can_compare(user) -> bool:
    """Whether the user compares districts (province and city staff)."""
    from greenlight.analytics import districts

    return districts.can_compare(user)
