"""Date and time widgets for the browser's pickers, and a select of many options.

A browser's `<input type="date">` takes only ISO values (2026-12-15) and `datetime-local` only
2026-12-15T09:30, whatever the page's language; Django's default formats follow the language
(zh-Hans: 2026/12/15), which the browser drops as invalid, so a saved form silently loses its
dates. Every date or datetime field of a page uses these.
"""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


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
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], flatatt(option["attrs"]), option["label"])
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(widget["attrs"]), options
        )
