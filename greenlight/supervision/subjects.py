"""What a notice may be issued on: the subject kinds upper apps register, and the protocol their
models implement (supervision never imports them; it only asks the subject about itself).

An app registers its model in `AppConfig.ready` (`subjects.register("ticket", "tickets.Ticket")`);
the kind names the subject in URLs and the API (`/supervision/new/ticket/7/`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from django.apps import apps
from django.db import models
from django.http import Http404


@runtime_checkable
class Subject(Protocol):
    """A model instance a supervision notice may be issued on.

    * `supervision_region`: the region whose staff see the notice (the subject's region);
    * `supervision_label`: the subject in words, kept on the notice;
    * `supervision_departments()`: the departments a notice may be addressed to, the default
      one first (empty: none yet, e.g. a ticket not assigned);
    * `supervision_open`: False when the subject is finished and takes no more notices;
    * `get_absolute_url()`: the subject's page;
    * the model's manager has `visible_to(user)`.
    """

    pk: int

    @property
    def supervision_region(self): ...

    @property
    def supervision_label(self) -> str: ...

    @property
    def supervision_open(self) -> bool: ...

    def supervision_departments(self) -> Sequence: ...

    def get_absolute_url(self) -> str: ...


_KINDS: dict[str, str] = {}


def register(kind: str, model_label: str) -> None:
    """Let notices be issued on `model_label` ("app_label.Model") under the name `kind`."""
    if _KINDS.get(kind, model_label) != model_label:
        raise ValueError(f"subject kind {kind!r} is already {_KINDS[kind]}")
    _KINDS[kind] = model_label


def kinds() -> list[str]:
    """The registered subject kinds, in registration order."""
    return list(_KINDS)


def model_of(kind: str) -> type[models.Model] | None:
    """The model of a registered kind, or None."""
    label = _KINDS.get(kind)
    return apps.get_model(label) if label else None


def kind_of(obj_or_model) -> str | None:
    """The kind under which an instance's (or a model's) class is registered, or None."""
    label = obj_or_model._meta.label
    return next((k for k, v in _KINDS.items() if v == label), None)


def label_of(kind: str) -> str:
    """The kind in words (the model's verbose name), in the user's language."""
    model = model_of(kind)
    return str(model._meta.verbose_name) if model else kind


def visible(kind: str, pk: int, user):
    """The subject `kind` #`pk` if `user` may see it; Http404 otherwise (unknown kind too)."""
    model = model_of(kind)
    if model is None:
        raise Http404
    found = model._default_manager.visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
