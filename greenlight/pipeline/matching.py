"""Factor matching (要素匹配) as a 0-1 knapsack over every pool, solved by HiGHS.

Pure Python + SciPy, no Django: `Item`s in, a `Match` out. The selection maximizes the
priority-weighted investment of the chosen items subject to every pool's capacity; pins force an
item in or out. Every item gets a verdict saying why it is in or out and which pools bind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

EPS = 1e-6
TIME_LIMIT = 20.0  # seconds

# verdict codes; the pages translate them
PINNED_IN, PINNED_OUT, SELECTED = "pinned_in", "pinned_out", "selected"
NOT_MET, BLOCKED, NO_VALUE, INFEASIBLE = "not_met", "blocked", "no_value", "infeasible"


@dataclass(frozen=True)
class Item:
    """One candidate: its value (priority x investment), its needs by pool key, its pin."""

    id: int
    value: float
    needs: Mapping[str, float]
    pin: str = ""  # "", "in" or "out"


@dataclass(frozen=True)
class Verdict:
    """Why one item is in or out; `shortfall` = need beyond the whole pool, `blocked_by` =
    need beyond what the chosen items left."""

    id: int
    selected: bool
    reason: str
    shortfall: dict[str, float] = field(default_factory=dict)
    blocked_by: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class PoolUse:
    """Capacity, use and slack of one pool; `binding` when it keeps some item out."""

    key: str
    capacity: float
    used: float
    slack: float
    binding: bool


@dataclass(frozen=True)
class Match:
    """The selection, its objective, per-item verdicts and per-pool use; or why none exists."""

    feasible: bool
    objective: float
    selected: tuple[int, ...]
    verdicts: tuple[Verdict, ...]
    pools: tuple[PoolUse, ...]
    conflicts: tuple[tuple[str, float, float], ...] = ()  # (pool, pinned need, capacity)


def _keys(items: Sequence[Item], capacity: Mapping[str, float]) -> list[str]:
    keys = dict.fromkeys(capacity)
    for it in items:
        for k, v in it.needs.items():
            if v > 0:
                keys.setdefault(k, None)
    return list(keys)


def _pin_conflicts(items, keys, capacity) -> list[tuple[str, float, float]]:
    """Pools that the pinned-in items alone overfill: the only way the problem is infeasible."""
    out = []
    for k in keys:
        need = sum(it.needs.get(k, 0.0) for it in items if it.pin == "in")
        if need > capacity.get(k, 0.0) + EPS:
            out.append((k, need, capacity.get(k, 0.0)))
    return out


def _solve(items: Sequence[Item], keys: list[str], capacity) -> list[int]:
    # SciPy and NumPy load here, when a match is solved, not with the URL conf or the CLI
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    n = len(items)
    a = np.array([[it.needs.get(k, 0.0) for it in items] for k in keys], dtype=float)
    b = np.array([capacity.get(k, 0.0) for k in keys], dtype=float)
    lb = np.array([1.0 if it.pin == "in" else 0.0 for it in items])
    ub = np.array([0.0 if it.pin == "out" else 1.0 for it in items])
    c = -np.array([it.value for it in items], dtype=float)
    constraints = [LinearConstraint(a, -np.inf, b)] if keys else []
    # a time limit keeps a page request bounded; HiGHS then returns its best selection so far
    res = milp(
        c,
        constraints=constraints,
        integrality=np.ones(n),
        bounds=Bounds(lb, ub),
        options={"time_limit": TIME_LIMIT},
    )
    if res.x is None:  # pragma: no cover - pins are checked first, so HiGHS always finds one
        raise RuntimeError(res.message)
    return [int(v) for v in np.round(res.x)]


def match(items: Sequence[Item], capacity: Mapping[str, float]) -> Match:
    """The best selection of `items` within `capacity` (pool key -> amount available)."""
    keys = _keys(items, capacity)
    conflicts = _pin_conflicts(items, keys, capacity)
    if conflicts:
        verdicts = tuple(
            Verdict(it.id, False, INFEASIBLE if it.pin == "in" else PINNED_OUT)
            if it.pin
            else Verdict(it.id, False, INFEASIBLE)
            for it in items
        )
        pools = tuple(
            PoolUse(k, capacity.get(k, 0.0), 0.0, capacity.get(k, 0.0), False) for k in keys
        )
        return Match(False, 0.0, (), verdicts, pools, tuple(conflicts))
    x = _solve(items, keys, capacity) if items else []
    used = {
        k: sum(it.needs.get(k, 0.0) for it, xi in zip(items, x, strict=True) if xi) for k in keys
    }
    left = {k: capacity.get(k, 0.0) - used[k] for k in keys}
    verdicts, binding = [], set()
    for it, xi in zip(items, x, strict=True):
        verdict = _verdict(it, bool(xi), capacity, left)
        binding.update(verdict.blocked_by)
        verdicts.append(verdict)
    pools = tuple(PoolUse(k, capacity.get(k, 0.0), used[k], left[k], k in binding) for k in keys)
    chosen = tuple(it.id for it, xi in zip(items, x, strict=True) if xi)
    objective = sum(it.value for it, xi in zip(items, x, strict=True) if xi)
    return Match(True, objective, chosen, tuple(verdicts), pools)


def _verdict(it: Item, chosen: bool, capacity, left) -> Verdict:
    shortfall = {
        k: v - capacity.get(k, 0.0) for k, v in it.needs.items() if v > capacity.get(k, 0.0) + EPS
    }
    if chosen:
        return Verdict(it.id, True, PINNED_IN if it.pin == "in" else SELECTED)
    if it.pin == "out":
        return Verdict(it.id, False, PINNED_OUT, shortfall)
    if shortfall:
        return Verdict(it.id, False, NOT_MET, shortfall)
    blocked = {k: v - left[k] for k, v in it.needs.items() if v > left.get(k, 0.0) + EPS}
    if blocked:
        return Verdict(it.id, False, BLOCKED, {}, blocked)
    return Verdict(it.id, False, NO_VALUE)
