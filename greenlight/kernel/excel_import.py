"""Shared pieces of an Excel (.xlsx) bulk import: the columns and a template to fill in, reading
a workbook and its cells safely, checking the header row, and the dry run that names every bad
row by row, column and reason. Each importer checks every row first and then stores all rows
or none; the reasons are its own, in the user's language."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from . import exports

T = TypeVar("T")

MAX_BYTES = 10 * 1024 * 1024  # an upload larger than this is refused before it is read


@dataclass(frozen=True)
class Column:
    """One column of an import sheet: its key, its header in the template, whether a file must
    have it, other header names accepted for it, and its width in the template."""

    key: str
    header: str
    required: bool = True
    aliases: tuple[str, ...] = ()
    width: int = 15

    def matches(self, name: str) -> bool:
        """Whether a header cell names this column (case and surrounding spaces ignored)."""
        name = name.strip().lower()
        return bool(name) and name in {self.header.lower(), *(a.lower() for a in self.aliases)}


@dataclass
class RowError:
    """One problem in the file: the row (1 is the header row, 0 the whole file), the column's
    header ("" when it is not one column) and the reason, in the user's language."""

    row: int
    column: str
    reason: str


@dataclass
class Parsed(Generic[T]):
    """The dry run of a file: the checked rows and every error found."""

    rows: list[T] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the file may be imported: rows, and not one error."""
        return not self.errors and bool(self.rows)


class NotAWorkbook(ValueError):
    """The uploaded bytes are not a readable .xlsx workbook."""


def open_workbook(data: bytes):
    """The workbook in `data`, read-only and with cell values rather than formulas; raises
    NotAWorkbook when it is not a readable .xlsx file. Close it when done."""
    from openpyxl import load_workbook

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise NotAWorkbook
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a broken file
        raise NotAWorkbook from exc


def check_size(size: int, max_bytes: int = MAX_BYTES) -> None:
    """Refuse a file over the limit before reading it (InvalidInput on the field "file")."""
    from django.utils.translation import gettext as _

    from .errors import InvalidInput

    if size > max_bytes:
        raise InvalidInput(
            _("the file is larger than %(mb)s MB") % {"mb": max_bytes // 2**20}, field="file"
        )


def read_rows(
    data: bytes,
    columns: Sequence[Column],
    *,
    max_rows: int,
    max_bytes: int = MAX_BYTES,
) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    """The first sheet's data rows of an upload as (row number, cells by column key), after its
    size, its format and its header row are checked; with the header's errors (then no rows) and
    one error at the first row past `max_rows`. A file that is too large or not a workbook
    raises InvalidInput on the field "file". The workbook is closed before this returns."""
    from django.utils.translation import gettext as _

    from .errors import InvalidInput

    check_size(len(data), max_bytes)
    try:
        wb = open_workbook(data)
    except NotAWorkbook as exc:
        raise InvalidInput(_("this is not an Excel workbook (.xlsx)"), field="file") from exc
    try:
        rows = wb.worksheets[0].iter_rows(values_only=True)
        index, errors = header_index(
            next(rows, ()), columns, missing=_("missing column"), unexpected=_("unexpected column")
        )
        if errors:
            return [], errors
        raw: list[tuple[int, dict[str, Any]]] = []
        for n, values in data_rows(rows):
            if len(raw) >= max_rows:
                errors.append(RowError(n, "", _("at most %(n)s rows per file") % {"n": max_rows}))
                break
            raw.append((n, cells(values, index)))
        return raw, errors
    finally:
        wb.close()


def text(value: Any) -> str:
    """A cell's value as stripped text; "" for an empty cell."""
    return "" if value is None else exports.cell(str(value)).strip()


def cell(values: Sequence, i: int) -> Any:
    """The value at position `i` of a row, or None when the row is shorter."""
    return values[i] if 0 <= i < len(values) else None


def cells(values: Sequence, index: Mapping[str, int]) -> dict[str, Any]:
    """A row's values by column key, given where each column stands (see `header_index`)."""
    return {key: cell(values, i) for key, i in index.items()}


def is_blank(values: Iterable) -> bool:
    """Whether every cell of a row is empty or only spaces."""
    return all(text(v) == "" for v in values)


def data_rows(rows: Iterable[Sequence], *, start: int = 2) -> Iterator[tuple[int, Sequence]]:
    """The rows that are not blank, each with its row number in the sheet (the first one given
    being row `start`)."""
    for n, values in enumerate(rows, start=start):
        if not is_blank(values):
            yield n, values


def header_index(
    header: Sequence,
    columns: Sequence[Column],
    *,
    missing: str,
    unexpected: str | None = None,
) -> tuple[dict[str, int], list[RowError]]:
    """Where each column stands in the header row (its first match), and a row-1 error for each
    required column not found (reason `missing`) and, when `unexpected` is given, for each named
    header cell that is none of the columns."""
    names = [text(v) for v in header]
    index: dict[str, int] = {}
    errors: list[RowError] = []
    for column in columns:
        at = next((i for i, name in enumerate(names) if column.matches(name)), None)
        if at is not None:
            index[column.key] = at
        elif column.required:
            errors.append(RowError(1, column.header, missing))
    if unexpected is not None:
        for name in names:
            if name and not any(c.matches(name) for c in columns):
                errors.append(RowError(1, name, unexpected))
    return index, errors


def template(
    columns: Sequence[Column],
    *,
    title: str,
    examples: Iterable[Sequence] = (),
    sheets: Mapping[str, Iterable[Sequence]] | None = None,
) -> bytes:
    """An import workbook to fill in: a sheet `title` with the columns' headers in bold, at
    their widths, then the example rows; then any further `sheets` (name: rows), e.g. notes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = title
    exports.append(ws, [c.header for c in columns])
    for c in ws[1]:
        c.font = Font(bold=True)
    for row in examples:
        exports.append(ws, list(row))
    for i, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column.width
    for name, rows in (sheets or {}).items():
        extra = wb.create_sheet(name)
        for row in rows:
            exports.append(extra, list(row))
    return exports.save(wb)
