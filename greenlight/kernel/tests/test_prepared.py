"""A prepared query gives what its queryset gives, for each call's values, in one query."""

from datetime import datetime, timedelta

import pytest
from django.db.models import Count
from django.utils import timezone

from greenlight.accounts.models import ApiToken
from greenlight.kernel.prepared import Prepared
from tests import factories as f

pytestmark = pytest.mark.django_db


def _live(*, digest: str, now: datetime):
    return ApiToken.objects.select_related("user", "user__region").filter(
        digest=digest, revoked=False, expires_at__gt=now
    )


LIVE = Prepared(_live, digest=str, now=datetime)


def _fields(obj) -> dict:
    return {k: v for k, v in obj.__dict__.items() if k != "_state"}


def test_the_same_instances_as_the_queryset_with_their_joins(django_assert_num_queries):
    user = f.UserFactory()
    token, raw = ApiToken.issue(user=user, name="cli")
    now = timezone.now()
    expected = list(_live(digest=ApiToken.hash(raw), now=now))
    with django_assert_num_queries(1):
        rows = LIVE.rows(digest=ApiToken.hash(raw), now=now)
        # the user and the region come with the token (no query for them)
        assert rows[0].user.region.code == user.region.code
    assert [r.pk for r in rows] == [token.pk]
    assert _fields(rows[0]) == _fields(expected[0])
    assert _fields(rows[0].user) == _fields(expected[0].user)
    assert _fields(rows[0].user.region) == _fields(expected[0].user.region)
    assert rows[0].expires_at == token.expires_at and rows[0].expires_at.tzinfo is not None


def test_each_call_runs_with_its_own_values():
    first, raw1 = ApiToken.issue(user=f.UserFactory(), name="a")
    second, raw2 = ApiToken.issue(user=f.UserFactory(), name="b", days=1)
    now = timezone.now()
    assert [t.pk for t in LIVE.rows(digest=ApiToken.hash(raw1), now=now)] == [first.pk]
    assert [t.pk for t in LIVE.rows(digest=ApiToken.hash(raw2), now=now)] == [second.pk]
    assert LIVE.rows(digest=ApiToken.hash("gl_unknown"), now=now) == []
    # the instant is a value too: two days on, the one-day token has expired
    later = now + timedelta(days=2)
    assert LIVE.rows(digest=ApiToken.hash(raw2), now=later) == []
    assert [t.pk for t in LIVE.rows(digest=ApiToken.hash(raw1), now=later)] == [first.pk]


def test_wrong_values_and_unsupported_querysets_are_refused():
    with pytest.raises(TypeError, match="str or datetime"):
        Prepared(_live, digest=int)
    with pytest.raises(TypeError, match="expected"):
        LIVE.rows(digest="x")
    # a placeholder the queryset does not use
    unused = Prepared(
        lambda *, digest, name: ApiToken.objects.filter(digest=digest), digest=str, name=str
    )
    with pytest.raises(ValueError, match="name occurs 0 times"):
        unused.rows(digest="x", name="y")
    counted = Prepared(
        lambda *, digest: ApiToken.objects.filter(digest=digest).annotate(n=Count("pk")),
        digest=str,
    )
    with pytest.raises(TypeError, match="annotations"):
        counted.rows(digest="x")
    values = Prepared(lambda *, digest: ApiToken.objects.filter(digest=digest).values(), digest=str)
    with pytest.raises(TypeError, match="model instances"):
        values.rows(digest="x")
