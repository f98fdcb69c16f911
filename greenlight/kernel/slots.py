"""Slots: a page of a lower app shows what upper apps add to it, without importing them.

An upper app provides a fragment for a named slot in its `AppConfig.ready`
(`slots.provide("project.detail.summary", render)`); the lower app's template renders
`{% slot "project.detail.summary" project %}`. A provider takes the request and the page's
object and returns HTML (or "" to add nothing), like NetBox's template extensions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from django.utils.safestring import SafeString, mark_safe

Provider = Callable[..., str]

_SLOTS: dict[str, list[tuple[int, Provider]]] = defaultdict(list)


def provide(slot: str, provider: Provider, *, order: int = 50) -> None:
    """Add `provider` to `slot` once; lower `order` renders first."""
    if all(p is not provider for _, p in _SLOTS[slot]):
        _SLOTS[slot].append((order, provider))
        _SLOTS[slot].sort(key=lambda item: item[0])


def render(slot: str, request, obj) -> SafeString:
    """Every provider's fragment for `slot`, in order, joined."""
    parts = [provider(request, obj) for _, provider in _SLOTS.get(slot, ())]
    return mark_safe("".join(p for p in parts if p))  # noqa: S308 - providers render templates
