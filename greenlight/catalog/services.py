"""Catalog changes: matters and their prerequisites, checked for loops; audited."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from greenlight.accounts.choices import DepartmentKind
from greenlight.audit import services as audit
from greenlight.kernel.errors import DomainError

from . import hooks
from .models import Matter


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """A loop in `edges` (node -> prerequisites) as a list of nodes, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def prerequisite_graph() -> dict[str, set[str]]:
    """Every matter code -> the codes of its prerequisites."""
    graph: dict[str, set[str]] = {
        code: set() for code in Matter.objects.values_list("code", flat=True)
    }
    through = Matter.prerequisites.through.objects.values_list(
        "from_matter__code", "to_matter__code"
    )
    for matter, prereq in through:
        graph[matter].add(prereq)
    return graph


def check_prerequisites(code: str, prerequisite_codes: Iterable[str]) -> list[Matter]:
    """Resolve prerequisite codes for matter `code`; refuse unknown codes and loops."""
    codes = list(dict.fromkeys(prerequisite_codes))
    found = {m.code: m for m in Matter.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise DomainError(
            _("unknown matter: %(codes)s") % {"codes": ", ".join(unknown)}, field="prerequisites"
        )
    graph = prerequisite_graph()
    graph[code] = set(codes)
    cycle = find_cycle(graph)
    if cycle:
        raise DomainError(
            _("prerequisites form a loop: %(loop)s") % {"loop": " → ".join(cycle)},
            field="prerequisites",
        )
    return [found[c] for c in codes]


def validate_department_kind(kind: str) -> None:
    """Refuse a department kind the platform does not know."""
    if kind not in DepartmentKind.values:
        raise DomainError(
            _("unknown department %(kind)s; expected one of %(known)s")
            % {"kind": kind, "known": ", ".join(DepartmentKind.values)},
            field="department",
        )


def save_matter(
    *,
    data: dict,
    prerequisites: Iterable[str],
    actor,
    matter: Matter | None = None,
    cause=None,
    at=None,
) -> Matter:
    """Create or update a matter with its prerequisites, all or nothing, and audit it; `cause`
    (what the change implements, e.g. a reform item) and `at` go to `hooks.matter_changing`."""
    validate_department_kind(data.get("department_kind", matter.department_kind if matter else ""))
    code = data.get("code") or (matter.code if matter else "")
    prereqs = check_prerequisites(code, prerequisites)
    with transaction.atomic():
        created = matter is None
        hooks.matter_changing.send(  # e.g. the reforms' versioned history with days saved
            matter=matter, data=data, prerequisites=prereqs, actor=actor, cause=cause, at=at
        )
        matter = matter or Matter()
        for field, value in data.items():
            setattr(matter, field, value)
        matter.full_clean(exclude=["prerequisites"])
        matter.save()
        matter.prerequisites.set(prereqs)
        audit.record(
            matter,
            "matter_created" if created else "matter_updated",
            actor=actor,
            changes={**data, "prerequisites": [m.code for m in prereqs]},
        )
    return matter
