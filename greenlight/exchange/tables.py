"""The national data-sharing tables: their field codes and names, and the code lists read and
written (see the package docstring for what each field maps to)."""

from __future__ import annotations

from dataclasses import dataclass

PROJECT = "SPGL_XMJBXXB"
CASE = "SPGL_XMSPSXBLXXB"
HISTORY = "SPGL_XMSPSXBLXXXXB"
RESULT = "SPGL_XMSPSXPFWJXXB"
SPECIAL = "SPGL_XMSPSXBLTBCXXXB"


@dataclass(frozen=True)
class Table:
    code: str
    name: str
    key: tuple[str, ...]  # the fields that make the national key of a row
    fields: tuple[tuple[str, str], ...]  # (code, 中文名)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _name in self.fields)

    def name_of(self, code: str) -> str:
        """The Chinese name of a field code ("" when the table has no such field)."""
        return dict(self.fields).get(code, "")

    def column(self, header: str) -> str | None:
        """The field code a header names (its code or its Chinese name), None if none."""
        text = str(header or "").strip()
        for code, name in self.fields:
            if text.upper() == code or text == name:
                return code
        return None


TABLES: dict[str, Table] = {
    t.code: t
    for t in (
        Table(
            PROJECT,
            "项目基本信息表",
            ("XMDM",),
            (
                ("XZQHDM", "行政区划代码"),
                ("XMDM", "项目代码"),
                ("XMMC", "项目名称"),
                ("GCDM", "工程代码"),
                ("SPLCLX", "审批流程类型"),
                ("JSXZ", "建设性质"),
                ("XMZJSX", "项目资金属性"),
                ("GBHY", "国标行业"),
                ("NKGSJ", "拟开工时间"),
                ("NJCSJ", "拟建成时间"),
                ("ZTZE", "总投资额（万元）"),
                ("JSDD", "建设地点"),
                ("JSGMJNR", "建设规模及内容"),
                ("YDMJ", "用地面积"),
                ("DWTYSHXYDM", "统一社会信用代码"),
                ("DWMC", "单位名称"),
            ),
        ),
        Table(
            CASE,
            "项目审批事项办理信息表",
            ("SPSXSLBM",),
            (
                ("XZQHDM", "行政区划代码"),
                ("GCDM", "工程代码"),
                ("SPSXBM", "审批事项编码"),
                ("SPSXSLBM", "审批事项实例编码"),
                ("SPBMMC", "审批部门名称"),
                ("SXBLSX", "事项办理时限"),
            ),
        ),
        Table(
            HISTORY,
            "项目审批事项办理详细信息表",
            ("SPSXSLBM", "BLZT", "BLSJ"),
            (
                ("XZQHDM", "行政区划代码"),
                ("GCDM", "工程代码"),
                ("SPSXSLBM", "审批事项实例编码"),
                ("BLCS", "办理处（科）室"),
                ("BLR", "办理人"),
                ("BLZT", "办理状态"),
                ("BLYJ", "办理意见"),
                ("BLSJ", "办理时间"),
            ),
        ),
        Table(
            RESULT,
            "项目审批事项批复文件信息表",
            ("SPSXSLBM", "PFWH"),
            (
                ("XZQHDM", "行政区划代码"),
                ("GCDM", "工程代码"),
                ("SPSXSLBM", "审批事项实例编码"),
                ("SPJG", "审批结果"),
                ("PFRQ", "批复日期"),
                ("PFWH", "批复文号"),
                ("PFWJBT", "批复文件标题"),
                ("PFWJYXQX", "批复文件有效期限"),
                ("BLYJ", "办理意见"),
                ("FLYJ", "法律依据"),
                ("BLR", "办理人"),
            ),
        ),
        Table(
            SPECIAL,
            "项目审批事项办理特别程序信息表",
            ("SPSXSLBM", "TBCX", "TBCXKSSJ"),
            (
                ("XZQHDM", "行政区划代码"),
                ("GCDM", "工程代码"),
                ("SPSXSLBM", "审批事项实例编码"),
                ("TBCX", "特别程序"),
                ("TBCXMC", "特别程序名称"),
                ("TBCXKSSJ", "特别程序开始时间"),
                ("TBCXJSSJ", "特别程序结束时间"),
            ),
        ),
    )
}
# Applied in this order, so a case exists before its history, and its history before its result.
ORDER = (PROJECT, CASE, HISTORY, SPECIAL, RESULT)

# BLZT 办理状态 -> the approval workflow action ("decided:<status>": the 批复 table decides).
STATUS_ACTIONS = {
    "1": "submit",
    "2": "withdraw",
    "3": "accept",
    "4": "decided:not_accepted",
    "5": "decided:not_accepted",
    "6": "pause:supplement",
    "7": "resume",
    "8": "accept",
    "9": "pause:expert_review",
    "10": "resume",
    "11": "decided:approved",
    "12": "decided:approved",
    "13": "decided:rejected",
    "14": "withdraw",
}
# approval status -> BLZT, for the export of the current state
STATUS_CODES = {
    "submitted": "1",
    "accepted": "3",
    "paused": "6",
    "not_accepted": "5",
    "approved": "11",
    "rejected": "13",
    "withdrawn": "14",
}
# SPJG 审批结果 -> decision outcome
RESULT_OUTCOMES = {"1": "approved", "2": "rejected", "3": "not_accepted"}
OUTCOME_RESULTS = {v: k for k, v in RESULT_OUTCOMES.items()}
# TBCX 特别程序 -> pause reason
SPECIAL_REASONS = {
    "1": "expert_review",
    "2": "hearing",
    "3": "site_inspection",
    "4": "public_notice",
    "5": "testing",
    "6": "supplement",
}
REASON_SPECIALS = {v: k for k, v in SPECIAL_REASONS.items()}
# JSXZ 建设性质
NATURES = {
    "1": "new",
    "2": "expansion",
    "3": "reconstruction",
    "4": "relocation",
    "5": "restoration",
    "6": "renovation",
}
# SPLCLX 审批流程类型 (the four process types of 工改) -> project category (its template)
CATEGORIES = {"1": "gov_building", "2": "linear", "3": "social_industry", "4": "small_low_risk"}
# XMZJSX 项目资金属性
FUNDING = {
    "1": "fiscal",
    "2": "special_bonds",
    "3": "central_budget",
    "4": "state_owned",
    "5": "social",
    "6": "foreign",
    "7": "mixed",
}
NO_EXPIRY = "9999-01-01"
