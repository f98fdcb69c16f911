"""Shared fixtures: two districts of one province, one user per role, a project each."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from greenlight.accounts.choices import DepartmentKind, RegionLevel
from greenlight.kernel.roles import Role
from tests import factories as f
from tests.auth import verified_login


@pytest.fixture
def world(db):
    """Bao'an (ours) and Nanshan (another tenant), with users of every role and projects."""
    province = f.RegionFactory(code="440000", name="广东省", level=RegionLevel.PROVINCE)
    city = f.RegionFactory(code="440300", name="深圳市", level=RegionLevel.CITY, parent=province)
    baoan = f.RegionFactory(code="440306", name="宝安区", parent=city)
    nanshan = f.RegionFactory(code="440305", name="南山区", parent=city)
    eco = f.DepartmentFactory(region=baoan, kind=DepartmentKind.ECOLOGY, name="宝安区生态环境局")
    water = f.DepartmentFactory(region=baoan, kind=DepartmentKind.WATER, name="宝安区水务局")
    org1 = f.OrganizationFactory(region=baoan, name="鹏鼎控股（深圳）股份有限公司")
    org2 = f.OrganizationFactory(region=baoan, name="深圳市魏桥实业有限公司")
    org_ns = f.OrganizationFactory(region=nanshan, name="南山科技有限公司")
    project1 = f.ProjectFactory(owner=org1, name="鹏鼎园区扩建项目")
    project2 = f.ProjectFactory(owner=org2, name="魏桥产业园项目")
    project_ns = f.ProjectFactory(owner=org_ns, name="南山某项目")
    matter = f.MatterFactory(department_kind=DepartmentKind.ECOLOGY, name="环境影响评价报告表审批")
    approval1 = f.ApprovalFactory(project=project1, matter=matter, department=eco)
    users = SimpleNamespace(
        coordinator=f.UserFactory(username="coordinator", role=Role.COORDINATOR, region=baoan),
        approver=f.UserFactory(
            username="approver", role=Role.APPROVER, region=baoan, department=eco
        ),
        water_approver=f.UserFactory(
            username="water", role=Role.APPROVER, region=baoan, department=water
        ),
        company=f.UserFactory(
            username="company1", role=Role.COMPANY, region=baoan, organization=org1
        ),
        company2=f.UserFactory(
            username="company2", role=Role.COMPANY, region=baoan, organization=org2
        ),
        leader=f.UserFactory(username="leader", role=Role.LEADER, region=baoan),
        supervisor=f.UserFactory(username="supervisor", role=Role.SUPERVISOR, region=baoan),
        admin=f.UserFactory(username="admin", role=Role.ADMIN, region=baoan),
        province=f.UserFactory(username="province", role=Role.LEADER, region=province),
        nanshan=f.UserFactory(username="ns_coordinator", role=Role.COORDINATOR, region=nanshan),
    )
    return SimpleNamespace(
        province=province,
        baoan=baoan,
        nanshan=nanshan,
        eco=eco,
        water=water,
        org1=org1,
        org2=org2,
        org_ns=org_ns,
        project1=project1,
        project2=project2,
        project_ns=project_ns,
        matter=matter,
        approval1=approval1,
        users=users,
    )


@pytest.fixture
def client_for(client):
    """A test client logged in as the given user."""

    def login(user):
        return verified_login(client, user)

    return login


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """PBKDF2 costs ~0.5 s a user on this machine; tests need no real key stretching."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """The platform calendar is cached per process; a test must not see another test's days."""
    from greenlight.catalog import calendars

    calendars.invalidate()
    yield
    calendars.invalidate()


@pytest.fixture(autouse=True)
def _memo_checked(settings):
    """Every memoized list statement (kernel/memo.py) is built the plain way too and compared,
    so each test, the isolation matrix's included, checks the memo; none is kept across tests."""
    from greenlight.kernel.memo import Memo

    settings.MEMO_CHECK = True
    Memo.forget_all()
    yield
    Memo.forget_all()
