"""Excel workbooks of analytics: the standard monthly investment report and the scorecards."""

from __future__ import annotations

from datetime import date

from greenlight.kernel import exports

HEAD_FILL = "E3F4EA"


def _book(title: str, headers: list[str], rows: list[list], widths: list[int]) -> bytes:
    from openpyxl import Workbook  # loaded when a workbook is written, not at start-up
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    exports.append(ws, [title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    exports.append(ws, headers)
    for cell in ws[2]:
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor=HEAD_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r in rows:
        exports.append(ws, r)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A3"
    return exports.save(wb)


def monthly_report(rows: list[dict], *, month: date, region_name: str) -> bytes:
    """固定资产投资项目月度报表: one row per project owing the month's report, with totals."""
    headers = [
        "序号",
        "项目代码",
        "项目名称",
        "项目单位",
        "街道",
        "行业",
        "计划总投资（万元）",
        "开工日期",
        "本月完成投资（万元）",
        "本年累计完成（万元）",
        "开工以来累计完成（万元）",
        "是否已报数",
    ]
    body = []
    totals = [0, 0, 0, 0]
    for i, r in enumerate(rows, start=1):
        p = r["project"]
        this_month = float(r["this_month"] or 0)
        values = [float(p.total_investment), this_month, float(r["ytd"]), float(r["cumulative"])]
        totals = [a + b for a, b in zip(totals, values, strict=True)]
        body.append(
            [
                i,
                p.code,
                p.name,
                p.owner.name,
                p.subdistrict.name if p.subdistrict_id else "",
                p.get_industry_display(),
                values[0],
                p.actual_start,
                this_month if r["reported"] else None,
                values[2],
                values[3],
                "是" if r["reported"] else "否",
            ]
        )
    body.append(["合计", "", f"{len(rows)} 个项目", "", "", "", *[totals[0]], "", *totals[1:], ""])
    title = f"{region_name}固定资产投资项目月度报表（{month.year}年{month.month}月）"
    return _book(title, headers, body, [6, 26, 36, 30, 10, 14, 14, 12, 14, 14, 16, 10])


def scorecards(rows: list[dict], *, month: date) -> bytes:
    """部门考核评价: the month's ranking with every rate."""
    headers = [
        "排名",
        "部门",
        "办结件数",
        "按时办结率",
        "平均用时/承诺时限",
        "中位用时",
        "123机制达标率",
        "提前介入意见及时率",
        "限时反馈及时率",
        "综合得分",
    ]

    def pct(v):
        return round(100 * v, 1) if v is not None else None

    body = [
        [
            r["rank"],
            r["department"].name,
            r["n"],
            pct(r["on_time_rate"]),
            pct(r["ratio"]),
            r["median"],
            pct(r["ticket_rate"]),
            pct(r["opinion_rate"]),
            pct(r["feedback_rate"]),
            round(r["score"], 1) if r["score"] is not None else None,
        ]
        for r in rows
    ]
    title = f"审批部门考核评价（{month.year}年{month.month}月，百分比）"
    return _book(title, headers, body, [6, 30, 10, 12, 16, 10, 14, 16, 14, 10])
