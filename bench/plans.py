"""Seeded random layered plans for the benchmarks: 60 tasks, FS/SS links, lags, mixed units."""

from __future__ import annotations

import random

from greenlight.engine.network import Link, LinkType, Task, Unit


def layered_plan(rng: random.Random, n: int = 60, layers: int = 8) -> list[Task]:
    """One plan: tasks in `layers` layers, each depending on 1-3 tasks of earlier layers."""
    per = max(1, n // layers)
    tasks: list[Task] = []
    for i in range(n):
        earlier = [t.id for t in tasks if int(t.id[1:]) // per < i // per][-2 * per :]
        links = tuple(
            Link(
                p,
                LinkType.SS if rng.random() < 0.1 else LinkType.FS,
                rng.choice((0, 0, 0, 2)),
            )
            for p in rng.sample(earlier, min(rng.randint(1, 3), len(earlier)))
        )
        unit = rng.choice((Unit.WORKDAY, Unit.WORKDAY, Unit.DAY))
        tasks.append(Task(f"t{i}", rng.randint(0, 30), unit, links))
    return tasks


def plans(count: int, seed: int = 20260302) -> list[list[Task]]:
    """`count` seeded plans."""
    rng = random.Random(seed)
    return [layered_plan(rng) for _ in range(count)]
