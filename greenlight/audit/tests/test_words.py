"""The audit trail speaks the reader's language: every recorded action has words in zh-Hans,
and the page shows them (and roles and object types) instead of the stored codes."""

import pytest
from django.utils import translation

from greenlight.audit import words

pytestmark = pytest.mark.django_db


def test_every_known_action_has_chinese_words():
    with translation.override("en"):
        english = {c: str(w) for c, w in words.ACTIONS.items()}
    with translation.override("zh-hans"):
        untranslated = [c for c, w in words.ACTIONS.items() if str(w) == english[c]]
    assert untranslated == []


def test_the_trail_page_shows_words_not_codes(
    client_for, world, django_capture_on_commit_callbacks
):
    from greenlight.accounts.models import User
    from greenlight.audit import services
    from greenlight.kernel.roles import Role

    auditor = User.objects.create(username="auditor_t", role=Role.AUDIT_ADMIN, region=world.baoan)
    with django_capture_on_commit_callbacks(execute=True):
        services.record(world.project1, "project_created", actor=world.users.coordinator)
    body = client_for(auditor).get("/audit/").content.decode()
    assert "登记项目" in body and ">project_created<" not in body
    # the role and the object type in words (the person is shown by name, here the login)
    assert "<td>总指办（统筹协调）</td>" in body and "<td>项目 #" in body
    assert "projects.project" not in body
