"""Reading an exchange file (Excel, CSV or JSON) into rows of the national tables; a file that
cannot be read at all is refused whole (InvalidInput on "file"), naming why."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from greenlight.kernel import excel_import
from greenlight.kernel.errors import InvalidInput

from .tables import ORDER, TABLES

MAX_ROWS = 20_000


@dataclass
class Row:
    """One row of a national table: its number in the file (for a sheet or CSV the line, the
    header being 1; in JSON its place in the table's list) and its values by field code."""

    table: str
    number: int
    values: dict[str, object]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float | Decimal):
        return str(value)
    return str(value).strip()


def _table_of(headers: list, hint: str = "") -> str | None:
    """The table a header row belongs to: the one named by `hint` (sheet or file name), else
    the one whose key fields all appear, most matching fields first."""
    hint = hint.upper()
    for code in TABLES:
        if code in hint:
            return code
    scored = []
    for code, table in TABLES.items():
        found = {table.column(h) for h in headers} - {None}
        if set(table.key) <= found:
            scored.append((len(found), code))
    return max(scored)[1] if scored else None


def _sheet_rows(table: str, header: list, rows, *, start: int) -> list[Row]:
    spec = TABLES[table]
    index = {i: spec.column(h) for i, h in enumerate(header)}
    out = []
    for n, values in enumerate(rows, start=start):
        cells = {index[i]: _cell(v) for i, v in enumerate(values) if index.get(i)}
        if not any(cells.values()):
            continue
        if all(spec.column(v) == k for k, v in cells.items() if v):  # the names row under codes
            continue
        out.append(Row(table, n, cells))
    return out


def _refuse(message: str):
    raise InvalidInput(message, field="file")


def read_csv(data: bytes, name: str = "") -> list[Row]:
    """A CSV file of one table (UTF-8, with or without BOM, or GB18030)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        _refuse(_("the CSV file is neither UTF-8 nor GB18030 text"))
    lines = list(csv.reader(io.StringIO(text)))
    if not lines:
        _refuse(_("the file is empty"))
    table = _table_of(lines[0], name)
    if table is None:
        _refuse(_("the header row names no national table (e.g. XMDM for 项目基本信息表)"))
    return _sheet_rows(table, lines[0], lines[1:], start=2)


def read_xlsx(data: bytes) -> list[Row]:
    """An Excel workbook: each sheet one table, named by the sheet's title or its header row."""
    try:
        wb = excel_import.open_workbook(data)
    except excel_import.NotAWorkbook:
        _refuse(_("this is not an Excel workbook (.xlsx)"))
    out: list[Row] = []
    try:
        for sheet in wb.worksheets:
            rows = sheet.iter_rows(values_only=True)
            header = [_cell(h) for h in next(rows, ())]
            table = _table_of(header, sheet.title)
            if table is None:
                continue
            out += _sheet_rows(table, header, rows, start=2)
    finally:
        wb.close()
    if not out:
        _refuse(_("no sheet of the workbook is a national table (e.g. XMDM for 项目基本信息表)"))
    return out


def from_document(doc) -> list[Row]:
    """A JSON document: {"SPGL_XMJBXXB": [{"XMDM": …}, …], …} (the pull's answer too)."""
    if not isinstance(doc, dict):
        _refuse(_("the JSON document must be an object of tables"))
    unknown = sorted(k for k in doc if k not in TABLES)
    if unknown:
        _refuse(_("unknown table %(name)s") % {"name": unknown[0]})
    out = []
    for code in ORDER:
        items = doc.get(code) or []
        if not isinstance(items, list):
            _refuse(_("%(table)s must be a list of rows") % {"table": code})
        for n, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                out.append(Row(code, n, {"_bad": "1"}))
                continue
            spec = TABLES[code]
            out.append(Row(code, n, {spec.column(k) or k: _cell(v) for k, v in item.items()}))
    return out


def read_json(data: bytes) -> list[Row]:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidInput(
            _("this is not a JSON document: %(error)s") % {"error": exc}, field="file"
        ) from exc
    return from_document(doc)


def read(data: bytes, name: str) -> list[Row]:
    """The rows of an uploaded file, by its kind (.xlsx, .csv, .json); the tables' order kept."""
    excel_import.check_size(len(data))
    lower = name.lower()
    if lower.endswith(".xlsx"):
        rows = read_xlsx(data)
    elif lower.endswith(".csv"):
        rows = read_csv(data, name)
    elif lower.endswith(".json"):
        rows = read_json(data)
    else:
        _refuse(_("the file must be Excel (.xlsx), CSV (.csv) or JSON (.json)"))
    if len(rows) > MAX_ROWS:
        _refuse(_("at most %(n)s rows per file") % {"n": MAX_ROWS})
    return sorted(rows, key=lambda r: (ORDER.index(r.table), r.number))
