"""Helpers of the exchange tests: the seed catalog with approvers, and national rows."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from greenlight.accounts.models import Department
from greenlight.catalog import seeding
from greenlight.kernel.roles import Role
from greenlight.projects.codes import make_project_code
from tests import factories as f

CODE = "2611-440306-04-01-654321"
CODE2 = make_project_code(year=2026, month=11, region_code="440306", sector=4, kind=1, serial=7)


def seed(world) -> None:
    """Bao'an with the seed catalog, its eight departments and an approver in each."""
    seeding.load_catalog()
    seeding.seed_departments(world.baoan)
    for i, dept in enumerate(Department.objects.filter(region=world.baoan).order_by("pk")):
        f.UserFactory(username=f"dept{i}", role=Role.APPROVER, region=world.baoan, department=dept)


def project_row(world, code: str = CODE, **overrides) -> dict:
    """A 项目基本信息 row of a new project of 魏桥 in Bao'an."""
    row = {
        "XZQHDM": "440306",
        "XMDM": code,
        "XMMC": "沙井智能装备产业园",
        "SPLCLX": "3",
        "JSXZ": "1",
        "XMZJSX": "5",
        "GBHY": "C35",
        "ZTZE": "28000",
        "JSDD": "深圳市宝安区沙井街道新沙路",
        "JSGMJNR": "新建厂房3栋，总建筑面积6万平方米",
        "YDMJ": "52000",
        "DWTYSHXYDM": world.org2.credit_code,
    }
    row.update(overrides)
    return row


def at(days_ago: float) -> str:
    return timezone.localtime(timezone.now() - timedelta(days=days_ago)).strftime(
        "%Y-%m-%d %H:%M:%S"
    )


def case_tables(approval, case_no: str = "GG-2026-000123") -> dict:
    """办件, its history (接件, 受理), a 特别程序 that ended, and the 批复 of `approval`."""
    head = {"XZQHDM": "440306", "GCDM": approval.project.code, "SPSXSLBM": case_no}
    today = timezone.localdate()
    months = approval.matter.validity_months
    return {
        "SPGL_XMSPSXBLXXB": [{**head, "SPSXBM": approval.matter.code, "SPBMMC": "工改"}],
        "SPGL_XMSPSXBLXXXXB": [
            {**head, "BLZT": "1", "BLSJ": at(10), "BLYJ": "申请材料齐全"},
            {**head, "BLZT": "3", "BLSJ": at(9), "BLR": "张三", "BLYJ": "予以受理"},
            {**head, "BLZT": "11", "BLSJ": at(1), "BLYJ": "准予许可"},
        ],
        "SPGL_XMSPSXBLTBCXXXB": [
            {**head, "TBCX": "1", "TBCXMC": "专家评审", "TBCXKSSJ": at(8), "TBCXJSSJ": at(6)}
        ],
        "SPGL_XMSPSXPFWJXXB": [
            {
                **head,
                "SPJG": "1",
                "PFRQ": (today - timedelta(days=1)).isoformat(),
                "PFWH": "深宝环批〔2026〕88号",
                "PFWJBT": "关于沙井智能装备产业园环境影响报告表的批复",
                "PFWJYXQX": (today + timedelta(days=700)).isoformat() if months else "9999-01-01",
                "BLYJ": "同意建设",
                "BLR": "张三",
            }
        ],
    }
