"""Date and time widgets for the browser's pickers.

A browser's `<input type="date">` takes only ISO values (2026-12-15) and `datetime-local` only
2026-12-15T09:30, whatever the page's language; Django's default formats follow the language
(zh-Hans: 2026/12/15), which the browser drops as invalid, so a saved form silently loses its
dates. Every date or datetime field of a page uses these.
"""

from __future__ import annotations

from django import forms


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
