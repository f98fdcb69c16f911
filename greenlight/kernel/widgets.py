"""Date and time widgets for the browser's pickers, and a select of many options.

A browser's `<input type="date">` takes only ISO values (2026-12-15) and `datetime-local` only
2026-12-15T09:30, whatever the page's language; Django's default formats follow the language
(zh-Hans: 2026/12/15), which the browser drops as invalid, so a saved form silently loses its
dates. Every date or datetime field of a page uses these.
"""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


class IsoDateInput(forms.DateInput):
    """The browser's date picker, with its ISO value."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class IsoDateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker (local time, to the minute), with its ISO value."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class IsoMonthInput(forms.DateInput):
    """The browser's month picker (YYYY-MM)."""

    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m")


class LongSelect(forms.Select):
    """A select of many options (the province's 800 departments or subdistricts in a filter),
    written out here: Django's select template includes one template per option, about a
    tenth of a millisecond each, which made the form most of a list page's time. The markup
    is the same as Django's for choices without groups (which fall back to Django's)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        if any(group for group, _options, _index in widget["optgroups"]):
            return super().render(name, value, attrs, renderer)
        options = "".join(
            _option(option)
            for _group, group_options, _index in widget["optgroups"]
            for option in group_options
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(widget["attrs"]), mark_safe(options)
        )


def _option(option: dict) -> str:
    """One option's markup, each value escaped as a template would (`flatatt` only for attrs
    other than the plain `selected`: it costs a `format_html` per option)."""
    attrs = option["attrs"]
    extra = " selected" if attrs == {"selected": True} else flatatt(attrs) if attrs else ""
    value, label = conditional_escape(option["value"]), conditional_escape(option["label"])
    return f'<option value="{value}"{extra}>{label}</option>'
