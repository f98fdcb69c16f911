"""The demo writes no row of another app's models itself: every write goes through that app's
services (or its bulk service), which check the rules and write the audit trail."""

import ast
from pathlib import Path

import greenlight.demo

DEMO = Path(greenlight.demo.__file__).parent
# Manager and queryset methods that write rows.
WRITES = frozenset(
    {
        "create",
        "bulk_create",
        "bulk_update",
        "update",
        "get_or_create",
        "update_or_create",
        "delete",
    }
)


def _chain(node: ast.AST) -> list[str]:
    """The names along an attribute/call chain, outermost last: X.objects.filter().update -> [X,
    objects, filter, update]."""
    names = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            names.append(node.id)
            return names[::-1]
        else:
            return names[::-1]


def direct_writes(source: str) -> list[str]:
    """`Model.objects....<write>(...)` and `<anything>.save(...)` calls in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        chain = _chain(node.func)
        method = node.func.attr
        if method == "save" or (method in WRITES and "objects" in chain[:-1]):
            found.append(f"line {node.lineno}: {'.'.join(chain)}")
    return found


def test_the_check_finds_direct_writes():
    source = (
        "Project.objects.bulk_create(rows)\n"
        "Approval.objects.filter(pk=1).update(joint_lead=True)\n"
        "user.save()\n"
        "Ticket.cooperating_departments.through.objects.bulk_create(links)\n"
        "services.create_item(region=r)\n"
        "counts.update(more)\n"
    )
    assert [w.split(":")[0] for w in direct_writes(source)] == [
        "line 1",
        "line 2",
        "line 3",
        "line 4",
    ]


def test_demo_modules_write_only_through_services():
    modules = sorted(p for p in DEMO.glob("*.py"))
    assert len(modules) > 5
    offending = {
        p.name: hits for p in modules if (hits := direct_writes(p.read_text(encoding="utf-8")))
    }
    assert offending == {}
