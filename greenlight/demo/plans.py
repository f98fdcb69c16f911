"""Custom plans of the district's major projects (一项目一方案): for each, the coordinator saves the
catalog plan as version 1, then an optimized version 2 in which matters that waited for a
predecessor's result start once the predecessor is accepted (提前介入, start-to-start with a lag
of half its limit), through `plans.services.save_version` as the plan editor does."""

from __future__ import annotations

import copy
import random
from datetime import date

from greenlight.accounts.models import Region, User
from greenlight.kernel.roles import Role
from greenlight.plans import editing
from greenlight.plans import services as plan_services
from greenlight.projects.models import Project

from . import data as D

MIN_LAG_SOURCE = 6  # only a predecessor of this many days or more is worth starting beside


def optimized(document: dict, *, rng: random.Random) -> tuple[dict, int]:
    """The document with up to three finish-to-start links turned start-to-start; returns it and
    the number of links changed."""
    doc = copy.deepcopy(document)
    durations = {t["id"]: t["duration"] for t in doc["tasks"]}
    links = [
        link
        for t in doc["tasks"]
        for link in t.get("after", [])
        if link["type"] == "FS" and durations.get(link["task"], 0) >= MIN_LAG_SOURCE
    ]
    chosen = rng.sample(links, min(3, len(links)))
    for link in chosen:
        link["type"], link["lag"] = "SS", durations[link["task"]] // 2
    return doc, len(chosen)


def build(*, today: date, seed: int, stdout=None) -> dict:
    rng = random.Random(seed + 12)
    region = Region.objects.get(code="440306")
    coord = User.objects.filter(role=Role.COORDINATOR, region=region).order_by("id").first()
    names = [m[0] for m in D.MAJOR_PROJECTS]
    projects = Project.objects.filter(region=region, name__in=names, is_major=True).order_by("pk")
    versions = 0
    for project in projects:
        first = editing.initial_document(project, user=coord, today=today)
        if not first["tasks"]:
            continue
        plan_services.save_version(
            project=project, document=first, actor=coord, note="按目录模板编制项目审批计划"
        )
        second, changed = optimized(first, rng=rng)
        versions += 1
        if changed:
            plan_services.save_version(
                project=project,
                document=second,
                actor=coord,
                note=f"一项目一方案：{changed}项事项提前介入、并联办理",
            )
            versions += 1
    if stdout:
        stdout.write(f"custom plans: {projects.count()} major projects, {versions} versions\n")
    return {"plan_versions": versions}
