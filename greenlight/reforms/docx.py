"""The standard work reference as a Word document (python-docx), because officials edit in Word."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from .reference import Reference


def _table(doc, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = str(text)


def render(ref: Reference) -> bytes:
    """The .docx bytes of the reference."""
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "SimSun", Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")
    doc.add_heading(
        _("Standard work reference for parallel approval — %(r)s") % {"r": ref.region.name}, 0
    )
    doc.add_paragraph(_("Generated on %(d)s from live data.") % {"d": ref.generated_on})
    for _anchor, heading in ref.toc():
        doc.add_paragraph(heading, style="List Number")
    toc = dict(ref.toc())
    doc.add_heading(toc["definitions"], 1)
    _table(doc, [_("National stage"), _("code")], [[label, v] for v, label in ref.stages])
    doc.add_paragraph()
    _table(doc, [_("Lifecycle stage"), _("code")], [[label, v] for v, label in ref.lifecycle])
    doc.add_heading(toc["catalog"], 1)
    for stage, rows in ref.matters:
        doc.add_heading(stage, 2)
        _table(
            doc,
            [
                _("Code"),
                _("Matter"),
                _("Department"),
                _("Statutory limit"),
                _("Committed limit"),
                _("Prerequisites"),
                _("Materials"),
            ],
            [
                [
                    m["code"],
                    m["name"],
                    m["department"],
                    m["statutory"],
                    m["committed"],
                    "、".join(m["prerequisites"]) or "—",
                    "；".join(m["materials"]) or "—",
                ]
                for m in rows
            ],
        )
    if ref.bundles:
        doc.add_heading(_("Merged handling"), 2)
        _table(
            doc,
            [_("Bundle"), _("Limit"), _("Matters")],
            [[b["name"], b["limit"], "、".join(b["matters"])] for b in ref.bundles],
        )
    doc.add_heading(toc["templates"], 1)
    _table(
        doc,
        [_("Template"), _("Matters"), _("Serial (days)"), _("Parallel (days)"), _("Saved (days)")],
        [[t["name"], t["matters"], t["serial"], t["parallel"], t["saved"]] for t in ref.templates],
    )
    for t in ref.templates:
        doc.add_paragraph(f"{t['name']}：{_('critical path')} " + " → ".join(t["critical"]))
    doc.add_heading(toc["mechanisms"], 1)
    doc.add_heading(_("The five steps of joint review"), 2)
    for title, text in ref.five_steps:
        doc.add_paragraph(f"{title}：{text}", style="List Number")
    doc.add_heading(_("The 1-2-3 rule for problems"), 2)
    for title, text in ref.rule_123:
        doc.add_paragraph(f"{title}：{text}", style="List Bullet")
    doc.add_heading(_("Supervision thresholds"), 2)
    for title, text in ref.supervision:
        doc.add_paragraph(f"{title}：{text}", style="List Bullet")
    doc.add_heading(toc["indicators"], 1)
    _table(doc, [_("Indicator"), _("Definition")], [list(r) for r in ref.indicators])
    out = BytesIO()
    doc.save(out)
    return out.getvalue()
