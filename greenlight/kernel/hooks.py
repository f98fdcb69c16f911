"""Hooks: how a lower layer hands a fact to the layers above it without importing them.

The lower app declares a hook and names its payload (`approval_moved = Hook("approval_moved",
"approval", "action", "at", "actor")`); an upper app connects a receiver in its
`AppConfig.ready`. `send` calls every receiver in connection order, synchronously and inside
the sender's transaction, so a receiver's failure rolls the whole act back (unlike Django
signals, receivers are explicit, typed by the payload and never weakly referenced).
"""

from __future__ import annotations

from collections.abc import Callable


class Hook:
    """A named point where upper layers subscribe to a lower layer's act."""

    def __init__(self, name: str, *payload: str):
        self.name = name
        self.payload = frozenset(payload)
        self._receivers: list[Callable[..., object]] = []

    def connect(self, receiver: Callable[..., object]) -> Callable[..., object]:
        """Subscribe `receiver` (keyword arguments: the payload), once."""
        if receiver not in self._receivers:
            self._receivers.append(receiver)
        return receiver

    def send(self, **payload) -> list:
        """Call every receiver with the payload; returns their results in order."""
        if set(payload) != self.payload:
            raise TypeError(
                f"hook {self.name}: payload {sorted(payload)} != {sorted(self.payload)}"
            )
        return [receiver(**payload) for receiver in self._receivers]

    def __repr__(self) -> str:
        return f"Hook({self.name!r}, receivers={len(self._receivers)})"
