"""A memoized list gives what its builder's queryset gives, for every user, with the statements
built once per user scope and arguments; what it cannot key on it builds the plain way."""

from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from greenlight.kernel.memo import Memo
from greenlight.kernel.paging import IdsFirst
from greenlight.kernel.roles import Role
from greenlight.projects.models import Project
from tests import factories as f

pytestmark = pytest.mark.django_db
NAMES = ["id", "name", "owner__name", "region__code", "total_investment", "planned_start"]


@dataclass(frozen=True)
class Args:
    q: str = ""


class Builder:
    """`Project.objects.visible_to(user)` filtered by name, counting its calls."""

    def __init__(self):
        self.calls = 0

    def __call__(self, *, user, filters: Args):
        self.calls += 1
        qs = Project.objects.visible_to(user).select_related("owner", "region")
        if filters.q:
            qs = qs.filter(Q(name__icontains=filters.q) | Q(code__icontains=filters.q))
        return qs.order_by("-id")


def _plain(build, user, args, index=slice(0, 50)) -> tuple[list, int]:
    source = IdsFirst(build(user=user, filters=args), values=NAMES)
    return source[index], source.count()


def _memo(memo, user, args, index=slice(0, 50)) -> tuple[list, int]:
    source = memo.source(user=user, filters=args, values=NAMES)
    return source[index], source.count()


@pytest.fixture
def users(world):
    f.ProjectFactory(owner=world.org1, name="鹏鼎二期", total_investment="12.50")
    return [
        world.users.coordinator,
        f.UserFactory(role=Role.COORDINATOR, region=world.baoan),  # a second one of Bao'an
        world.users.nanshan,
        world.users.company,
        world.users.company2,
        world.users.province,
        world.users.approver,
        f.UserFactory(role=Role.SECURITY_ADMIN, region=world.baoan),
    ]


@pytest.mark.parametrize("memo_check", [True, False])
def test_every_user_gets_what_the_queryset_gives(settings, users, memo_check):
    settings.MEMO_CHECK = memo_check
    build = Builder()
    memo = Memo(build)
    for args in (Args(), Args(q="鹏鼎"), Args(q="%_")):
        for user in users + users:  # the second round from kept statements
            assert _memo(memo, user, args) == _plain(build, user, args), (user.username, args)
    # the fixture's users see 0 to 4 projects: the sets differ, so a mixed-up key would show
    assert len({len(_plain(build, u, Args())[0]) for u in users}) >= 4


def test_the_statements_are_built_once_per_scope_and_arguments(settings, users):
    settings.MEMO_CHECK = False
    build = Builder()
    memo = Memo(build)
    coordinator, second = users[0], users[1]
    _memo(memo, coordinator, Args())
    built = build.calls
    with CaptureQueriesContext(connection) as ctx:
        rows, count = _memo(memo, second, Args())
    assert build.calls == built  # another coordinator of the district: nothing built
    assert len(ctx.captured_queries) == 2  # the page and the count, as the plain way
    assert (rows, count) == _plain(build, second, Args())
    _memo(memo, coordinator, Args(q="鹏鼎"))
    assert build.calls > built  # other arguments: built (once)


def test_a_deep_page_is_read_the_plain_way(settings, users, monkeypatch):
    settings.MEMO_CHECK = False
    monkeypatch.setattr(IdsFirst, "direct_below", 1)
    build = Builder()
    memo = Memo(build)
    user = users[0]
    assert _memo(memo, user, Args(), slice(1, 3)) == _plain(build, user, Args(), slice(1, 3))


def test_a_builder_that_queries_is_built_the_plain_way_every_time(settings, world):
    settings.MEMO_CHECK = False
    calls = []

    def build(*, user, filters):
        calls.append(1)
        ids = list(Project.objects.filter(owner=world.org1).values_list("pk", flat=True))
        return Project.objects.visible_to(user).filter(pk__in=ids).order_by("-id")

    memo = Memo(build)
    user = world.users.coordinator
    for _ in range(3):
        rows, count = _memo(memo, user, Args())
        assert count == len(rows) == Project.objects.filter(owner=world.org1).count()
    assert memo._kept == {}


def test_a_builder_reading_a_method_of_the_user_is_not_kept(settings, world):
    settings.MEMO_CHECK = False

    def build(*, user, filters):
        return Project.objects.filter(owner_id=user.get_username() and world.org1.pk)

    memo = Memo(build)
    rows, count = _memo(memo, world.users.coordinator, Args())
    assert count == len(rows) == Project.objects.filter(owner=world.org1).count()
    assert memo._kept == {}


def test_a_builder_depending_on_what_it_does_not_read_fails_the_check(settings, world):
    """The memo's premise: a builder is a function of its arguments and the user's reads.
    One reading a module global breaks it; with the check on (the tests) that fails loudly."""
    settings.MEMO_CHECK = True
    owner = {"id": world.org1.pk}

    def build(*, user, filters):
        return Project.objects.visible_to(user).filter(owner_id=owner["id"]).order_by("-id")

    memo = Memo(build)
    _memo(memo, world.users.coordinator, Args())
    owner["id"] = world.org2.pk
    with pytest.raises(AssertionError, match="differs from the built one"):
        _memo(memo, world.users.coordinator, Args())


def test_nothing_visible_costs_no_statement(settings, world):
    settings.MEMO_CHECK = False
    build = Builder()
    memo = Memo(build)
    auditor = f.UserFactory(role=Role.AUDIT_ADMIN, region=world.baoan)
    _memo(memo, auditor, Args())
    with CaptureQueriesContext(connection) as ctx:
        assert _memo(memo, auditor, Args()) == ([], 0)
    assert ctx.captured_queries == []


def _one(*, user, project_id):
    return Project.objects.visible_to(user).filter(pk=project_id)


def test_a_slot_takes_each_calls_own_value_in_one_kept_statement(settings, users, world):
    settings.MEMO_CHECK = True
    built = []
    memo = Memo(lambda **kw: built.append(1) or _one(**kw), slots=("project_id",))
    ids = list(Project.objects.values_list("pk", flat=True))
    for user in users:
        for pk in ids + [max(ids) + 1000]:
            expected = list(_one(user=user, project_id=pk).values(*NAMES))
            assert memo.rows(user=user, values=NAMES, project_id=pk) == expected, (user, pk)
    # one statement per user scope (kept after its first id), whatever the id
    assert 1 <= len(memo._kept) <= len(users)
    settings.MEMO_CHECK = False
    before = len(built)
    for user in users:
        for pk in ids:
            assert memo.rows(user=user, values=NAMES, project_id=pk) == list(
                _one(user=user, project_id=pk).values(*NAMES)
            )
    assert len(built) == before  # every id from the kept statements
    assert memo.rows(user=world.users.company2, values=NAMES, project_id=world.project1.pk) == []


def test_a_slot_found_twice_in_the_statement_is_built_the_plain_way(settings, world):
    settings.MEMO_CHECK = False

    def build(*, user, project_id):
        return _one(user=user, project_id=project_id).filter(Q(pk=project_id) | Q(pk=project_id))

    memo = Memo(build, slots=("project_id",))
    user, pk = world.users.coordinator, world.project1.pk
    for _ in range(2):
        assert [r["id"] for r in memo.rows(user=user, values=["id"], project_id=pk)] == [pk]
    assert memo._kept == {}


def test_an_attribute_the_user_lacks_is_a_read_too(settings, world):
    """`getattr(user, name, default)`: one caller without the attribute, one with it."""
    settings.MEMO_CHECK = False
    memo = Memo(
        lambda *, user, filters: Project.objects.filter(
            owner_id=getattr(user, "org", world.org2.pk)
        ).order_by("-id")
    )
    without, with_org = SimpleNamespace(), SimpleNamespace(org=world.org1.pk)
    for user, org in [(without, world.org2), (with_org, world.org1), (without, world.org2)]:
        rows, count = _memo(memo, user, Args())
        mine = Project.objects.filter(owner=org)
        assert {r["id"] for r in rows} == set(mine.values_list("pk", flat=True))
        assert count == mine.count() > 0


def test_a_builder_passing_the_user_to_the_orm_is_built_the_plain_way(settings, world):
    settings.MEMO_CHECK = False
    f.ProjectFactory(owner=world.org1, stage_override_by=world.users.company)
    memo = Memo(
        lambda *, user, filters: Project.objects.filter(stage_override_by=user).order_by("-id")
    )
    rows, count = _memo(memo, world.users.company, Args())
    assert (
        count == len(rows) == Project.objects.filter(stage_override_by=world.users.company).count()
    )
    assert memo._kept == {}
