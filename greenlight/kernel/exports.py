"""Safe cells for every Excel and CSV export: user text never becomes a formula nor breaks a
file.

* Control characters Excel's XML cannot hold are dropped (one ticket titled "a\\x00b" would
  otherwise make openpyxl refuse the whole workbook).
* Text that starts with =, +, -, @, a tab or a carriage return (what spreadsheets read as a
  formula, OWASP's "CSV injection") is written as text: in a workbook the cell's type is text,
  in a CSV file it gets a leading apostrophe, as spreadsheets themselves mark text.

Every exporter adds rows through `append()` (or `row()`) / `csv_row()` and saves workbooks
with `save()`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from .validation import clean_cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """`value` ready for a workbook cell: text without control characters; other values as
    they are."""
    return clean_cell(value) if isinstance(value, str) else value


def row(values: Iterable) -> list:
    """A workbook row of `cell()` values (for `worksheet.append`)."""
    return [cell(v) for v in values]


def append(sheet, values: Iterable) -> None:
    """`sheet.append` of `row(values)`."""
    sheet.append(row(values))


def csv_value(value):
    """`value` for a CSV file: clean text, with an apostrophe before a formula's first sign."""
    if not isinstance(value, str):
        return value
    text = clean_cell(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_row(values: Iterable) -> list:
    """A CSV row of `csv_value()` values (for `csv.writer.writerow`)."""
    return [csv_value(v) for v in values]


def as_text(workbook) -> None:
    """Make every cell of `workbook` that would be a formula a text cell: the platform writes
    no formulas, so any is user text that starts with "="."""
    for sheet in workbook.worksheets:
        for cells in sheet.iter_rows():
            for c in cells:
                if c.data_type == "f":
                    c.data_type = "s"


def save(workbook) -> bytes:
    """The workbook's bytes, after `as_text`."""
    as_text(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
