"""The registry of periodic jobs: each app registers its own in `AppConfig.ready`, and
`greenlight tick` (the site's runner) runs them; no layer below names the apps above it."""

from __future__ import annotations

from collections.abc import Callable

Job = Callable[..., dict | None]  # called with now=; returns counts; must be idempotent

_JOBS: dict[str, tuple[int, Job]] = {}


def name_of(job: Job) -> str:
    """The job's stable name, `module:function`, as the tick reports it."""
    return f"{job.__module__}:{job.__qualname__}"


def register(job: Job, *, order: int = 50) -> Job:
    """Add `job` to the tick, once; lower `order` runs first (delivery of messages runs last,
    after the jobs that queue them)."""
    _JOBS.setdefault(name_of(job), (order, job))
    return job


def registered() -> dict[str, Job]:
    """Every registered job by name, by `order`, then registration (app start-up) order."""
    ranked = sorted(_JOBS.items(), key=lambda item: item[1][0])  # stable: ties keep start-up order
    return {name: job for name, (_, job) in ranked}
