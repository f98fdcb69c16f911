"""The shared Excel-import pieces: template, reading, header check, cells, the dry-run result."""

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from greenlight.kernel import excel_import as xl
from greenlight.kernel.excel_import import Column, Parsed, RowError

COLUMNS = [
    Column("code", "项目代码", aliases=("code",), width=28),
    Column("note", "备注", required=False),
    Column("month", "月份"),
]


def _xlsx(*rows) -> bytes:
    wb = Workbook()
    for r in rows:
        wb.active.append(list(r))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_template_has_the_headers_widths_examples_and_extra_sheets():
    data = xl.template(
        COLUMNS,
        title="清单",
        examples=[["A-1", "", "2026-01"]],
        sheets={"填写说明": [["月份", "YYYY-MM"]]},
    )
    wb = load_workbook(io.BytesIO(data))
    ws = wb["清单"]
    assert [c.value for c in ws[1]] == ["项目代码", "备注", "月份"]
    assert ws["A1"].font.bold and ws.column_dimensions["A"].width == 28
    assert [c.value for c in ws[2]] == ["A-1", None, "2026-01"]
    assert wb.sheetnames == ["清单", "填写说明"] and wb["填写说明"]["B1"].value == "YYYY-MM"


def test_a_workbook_is_read_and_anything_else_is_not_a_workbook():
    wb = xl.open_workbook(_xlsx(["项目代码"], ["A-1"]))
    assert [r for r in wb.worksheets[0].iter_rows(values_only=True)] == [("项目代码",), ("A-1",)]
    wb.close()
    for junk in (b"%PDF-1.4", b"", _xlsx()[:100]):
        with pytest.raises(xl.NotAWorkbook):
            xl.open_workbook(junk)
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    with pytest.raises(xl.NotAWorkbook):
        xl.open_workbook(broken.getvalue())


def test_the_header_is_matched_by_name_or_alias_ignoring_case_and_spaces():
    index, errors = xl.header_index([" CODE ", None, "月份", "月份"], COLUMNS, missing="缺少此列")
    assert index == {"code": 0, "month": 2} and errors == []


def test_missing_required_and_unexpected_columns_are_row_1_errors():
    index, errors = xl.header_index(
        ["项目编号", "备注"], COLUMNS, missing="缺少此列", unexpected="无法识别的列"
    )
    assert index == {"note": 1}
    assert errors == [
        RowError(1, "项目代码", "缺少此列"),
        RowError(1, "月份", "缺少此列"),
        RowError(1, "项目编号", "无法识别的列"),
    ]
    # without an `unexpected` reason, other columns are allowed
    assert xl.header_index(["项目代码", "月份", "其他"], COLUMNS, missing="x")[1] == []


def test_cells_are_read_safely_and_blank_rows_skipped_with_their_numbers():
    assert xl.cell(("a",), 0) == "a" and xl.cell(("a",), 3) is None and xl.cell(("a",), -1) is None
    assert xl.cells(("A-1",), {"code": 0, "month": 2}) == {"code": "A-1", "month": None}
    assert xl.text(None) == "" and xl.text("  A-1 ") == "A-1" and xl.text(12) == "12"
    assert xl.is_blank((None, "", "  ")) and not xl.is_blank((None, 0))
    rows = [("a",), (None, " "), (), ("b", None)]
    assert list(xl.data_rows(rows)) == [(2, ("a",)), (5, ("b", None))]


def test_a_dry_run_is_ok_only_with_rows_and_no_error():
    assert not Parsed().ok
    assert Parsed(rows=[1]).ok
    assert not Parsed(rows=[1], errors=[RowError(2, "月份", "请写作 YYYY-MM")]).ok
    assert RowError(2, "月份", "x").__dict__ == {"row": 2, "column": "月份", "reason": "x"}
