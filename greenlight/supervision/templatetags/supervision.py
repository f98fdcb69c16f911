"""Template filters of the notice pages: a notice's state at a moment, its subject's kind."""

from django import template

register = template.Library()


@register.filter
def state_at(notice, now) -> str:
    """open / overdue / answered at `now`."""
    return notice.state(now=now)


@register.filter
def subject_kind(notice) -> str:
    """The notice's subject type in words (approval, problem ticket, joint review batch)."""
    model = notice.subject_type.model_class()
    return str(model._meta.verbose_name) if model else notice.subject_type.model
