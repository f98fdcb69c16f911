"""Plans for chart tests: the engine tests' builders, and a crowded plan."""

import random

from greenlight.engine.network import Task
from greenlight.engine.tests.helpers import CN, task

__all__ = ["CN", "task", "big_plan"]


def big_plan(n: int = 60, lanes: int = 10, seed: int = 7) -> list[Task]:
    """n tasks over `lanes` departments, each after 0-2 earlier tasks: crowded lanes."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        after = rng.sample([f"m{j}" for j in range(i)], k=min(i, rng.randint(0, 2)))
        t = task(f"m{i}", rng.randint(0, 25), *after, dept=f"部门{i % lanes}")
        out.append(
            Task(t.id, t.duration, t.unit, t.after, name=f"审批事项{i}", department=t.department)
        )
    return out
