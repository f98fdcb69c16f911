"""Loading the approval catalog from YAML, all or nothing and idempotently; seeding departments."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from greenlight.accounts.choices import DepartmentKind
from greenlight.audit import services as audit
from greenlight.kernel.errors import DomainError

from .choices import Category, LinkType, Stage, Unit
from .models import Bundle, Matter, Template, TemplateItem, TemplateLink
from .services import find_cycle, validate_department_kind

DEFAULT_PATH = Path(__file__).resolve().parent / "seed" / "catalog.yaml"
LINE = "__line__"
KINDS = ("matters", "templates", "bundles")
RESULTS = "required_results"
MATTER_KEYS = {
    "code",
    "name",
    "department",
    "stage",
    "statutory",
    "committed",
    "accept_with_gaps",
    "commitment_based",
    "materials",
    "results",
    "validity",
    "prerequisites",
}
TEMPLATE_KEYS = {"code", "name", "category", "description", "matters", "optional", "links"}
BUNDLE_KEYS = {"code", "name", "matters", "limit", "unit", "source"}


class CatalogError(DomainError):
    """A catalog file the loader refuses; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems), field="catalog", code="catalog_invalid")
        self.problems = problems


@dataclass
class LoadReport:
    """What a load did: created/updated/unchanged counts per kind (matters, templates, bundles)."""

    counts: dict[str, Counter] = field(default_factory=lambda: {k: Counter() for k in KINDS})

    def add(self, kind: str, outcome: str) -> None:
        self.counts[kind][outcome] += 1

    @property
    def created(self) -> int:
        return sum(c["created"] for c in self.counts.values())

    @property
    def updated(self) -> int:
        return sum(c["updated"] for c in self.counts.values())

    def as_dict(self) -> dict[str, dict[str, int]]:
        outcomes = ("created", "updated", "unchanged")
        return {k: {o: self.counts[k][o] for o in outcomes} for k in KINDS}

    def lines(self) -> list[str]:
        return [
            f"{k}: " + ", ".join(f"{n} {o}" for o, n in v.items())
            for k, v in self.as_dict().items()
        ]


# ------------------------------------------------------------------ reading and validating


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line of every mapping, for error messages."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        return mapping


class _Problems(list):
    def add(self, item: Any, code: Any, reason: str) -> None:
        where = f"line {item[LINE]}: " if isinstance(item, dict) and LINE in item else ""
        self.append(f"{where}{code or '?'}: {reason}")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(p: _Problems, item: dict, code: str, key: str, max_length: int, required=True) -> str:
    value = item.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str) or (required and not value.strip()):
        p.add(item, code, f"{key} must be a non-empty text")
        return ""
    if len(value) > max_length:
        p.add(item, code, f"{key} is longer than {max_length} characters")
    return value


def _limit(p: _Problems, item: dict, code: str, key: str) -> dict:
    spec = item.get(key)
    if not isinstance(spec, dict):
        p.add(item, code, f"{key} must be a mapping {{limit, unit, source}}")
        return {}
    if not _is_int(spec.get("limit")) or spec["limit"] < 0:
        p.add(spec, code, f"{key}.limit must be a whole number >= 0, got {spec.get('limit')!r}")
    if spec.get("unit") not in Unit.values:
        p.add(spec, code, f"{key}.unit {spec.get('unit')!r} is not one of {', '.join(Unit.values)}")
    source = _text(p, spec, code, "source", 300, required=False)
    return {
        f"{key}_limit": spec.get("limit"),
        f"{key}_unit": spec.get("unit"),
        f"{key}_source": source,
    }


def _codes(p: _Problems, item: dict, code: str, key: str, what: str = "matter codes") -> list[str]:
    value = item.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        p.add(item, code, f"{key} must be a list of {what}")
        return []
    return value


def _unknown_keys(p: _Problems, item: dict, code: str, allowed: set[str]) -> None:
    extra = sorted(set(item) - allowed - {LINE})
    if extra:
        p.add(item, code, f"unknown field(s) {', '.join(extra)}")


def _check_matter(p: _Problems, item: dict) -> tuple[dict, list[str]]:
    code = item.get("code")
    _unknown_keys(p, item, code, MATTER_KEYS)
    fields = {"name": _text(p, item, code, "name", 200)}
    try:
        validate_department_kind(item.get("department"))
    except DomainError as exc:
        p.add(item, code, str(exc.message))
    fields["department_kind"] = item.get("department")
    if item.get("stage") not in Stage.values:
        p.add(item, code, f"stage {item.get('stage')!r} is not one of {', '.join(Stage.values)}")
    fields["stage"] = item.get("stage")
    fields.update(_limit(p, item, code, "statutory"))
    fields.update(_limit(p, item, code, "committed"))
    for flag in ("accept_with_gaps", "commitment_based"):
        if not isinstance(item.get(flag, False), bool):
            p.add(item, code, f"{flag} must be true or false")
        fields[flag] = bool(item.get(flag, False))
    fields["materials"] = list(_codes(p, item, code, "materials", "texts"))
    fields.update(_validity(p, item, code))
    # earlier matters whose result this one takes as a material (set after every row exists)
    fields[RESULTS] = list(_codes(p, item, code, "results"))
    return fields, _codes(p, item, code, "prerequisites")


def _validity(p: _Problems, item: dict, code) -> dict:
    spec = item.get("validity")
    if spec is None:
        return {"validity_months": None, "validity_source": ""}
    months = spec.get("months") if isinstance(spec, dict) else None
    if not isinstance(months, int) or isinstance(months, bool) or not 0 < months <= 1200:
        p.add(item, code, "validity needs months: a whole number from 1 to 1200")
        return {"validity_months": None, "validity_source": ""}
    return {"validity_months": months, "validity_source": str(spec.get("source", ""))[:300]}


def _check_codes(p: _Problems, items: Any, kind: str, max_length: int = 40) -> list[dict]:
    """The entries of one top-level list that are mappings with a usable, unique code."""
    if items is None:
        return []
    if not isinstance(items, list):
        p.append(f"{kind}: must be a list")
        return []
    seen: dict[str, int] = {}
    good = []
    for item in items:
        code = item.get("code") if isinstance(item, dict) else None
        if not isinstance(code, str) or not code.strip() or len(code) > max_length:
            p.add(item, code, f"{kind} entry needs a code of 1-{max_length} characters")
        elif code in seen:
            p.add(item, code, f"duplicate code (first at line {seen[code]})")
        else:
            seen[code] = item.get(LINE, 0)
            good.append(item)
    return good


@dataclass
class _Spec:
    matters: dict[str, tuple[dict, list[str]]]
    templates: dict[str, dict]
    bundles: dict[str, dict]


def _template_edges(spec: dict, prereqs: dict[str, list[str]]) -> dict[tuple[str, str], tuple]:
    """(predecessor, successor) -> (type, lag): prerequisites inside the template, then links."""
    inside = set(spec["matters"])
    edges = {
        (pre, code): (LinkType.FS.value, 0)
        for code in spec["matters"]
        for pre in prereqs.get(code, ())
        if pre in inside
    }
    for link in spec["links"]:
        edges[(link["from"], link["to"])] = (
            link.get("type", LinkType.FS.value),
            link.get("lag", 0),
        )
    return edges


def _check_template(p: _Problems, item: dict, known: set[str], prereqs) -> dict:
    code, before = item["code"], len(p)
    _unknown_keys(p, item, code, TEMPLATE_KEYS)
    name = _text(p, item, code, "name", 100)
    if item.get("category") not in Category.values:
        p.add(
            item,
            code,
            f"category {item.get('category')!r} is not one of {', '.join(Category.values)}",
        )
    matters = _codes(p, item, code, "matters")
    for dup in sorted(c for c, n in Counter(matters).items() if n > 1):
        p.add(item, code, f"matter {dup} is listed twice")
    for missing in [c for c in matters if c not in known]:
        p.add(item, code, f"template matter {missing} is not in the catalog")
    optional = _codes(p, item, code, "optional")
    for stray in [c for c in optional if c not in matters]:
        p.add(item, code, f"optional matter {stray} is not one of the template's matters")
    links = item.get("links") or []
    if not isinstance(links, list) or not all(isinstance(link, dict) for link in links):
        p.add(item, code, "links must be a list of {from, to, type, lag}")
        links = []
    for link in links:
        ends = (link.get("from"), link.get("to"))
        for end in ends:
            if end not in matters:
                p.add(
                    link, code, f"link {ends[0]} → {ends[1]}: matter {end} is not in the template"
                )
        if ends[0] == ends[1]:
            p.add(link, code, f"link {ends[0]} → {ends[1]} links a matter to itself")
        if link.get("type", LinkType.FS.value) not in LinkType.values:
            p.add(
                link,
                code,
                f"link type {link.get('type')!r} is not one of {', '.join(LinkType.values)}",
            )
        if not _is_int(link.get("lag", 0)):
            p.add(link, code, f"link lag must be a whole number, got {link.get('lag')!r}")
    spec = {
        "name": name,
        "category": item.get("category"),
        "description": item.get("description") or "",
        "matters": matters,
        "optional": sorted(set(optional)),
        "links": links,
    }
    if len(p) == before:  # only a well-formed template can be checked for loops
        graph: dict[str, set[str]] = {c: set() for c in matters}
        for pre, succ in _template_edges(spec, prereqs):
            graph[succ].add(pre)
        cycle = find_cycle(graph)
        if cycle:
            p.add(item, code, "template links form a loop: " + " → ".join(cycle))
    return spec


def _check_bundle(p: _Problems, item: dict, known: set[str]) -> dict:
    code = item["code"]
    _unknown_keys(p, item, code, BUNDLE_KEYS)
    matters = _codes(p, item, code, "matters")
    for missing in [c for c in matters if c not in known]:
        p.add(item, code, f"bundle matter {missing} is not in the catalog")
    if not _is_int(item.get("limit")) or item["limit"] < 0:
        p.add(item, code, f"limit must be a whole number >= 0, got {item.get('limit')!r}")
    if item.get("unit") not in Unit.values:
        p.add(item, code, f"unit {item.get('unit')!r} is not one of {', '.join(Unit.values)}")
    return {
        "name": _text(p, item, code, "name", 200),
        "limit": item.get("limit"),
        "unit": item.get("unit"),
        "source": _text(p, item, code, "source", 300, False),
        "matters": matters,
    }


def read_catalog(path: Path | str) -> _Spec:
    """Parse and check a catalog file completely; raise CatalogError listing every problem."""
    try:
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_LineLoader)
    except OSError as exc:
        raise CatalogError([f"{path}: cannot read: {exc.strerror}"]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        raise CatalogError([f"{where}not valid YAML: {getattr(exc, 'problem', exc)}"]) from exc
    if not isinstance(data, dict):
        raise CatalogError(["the file must be a mapping with matters, templates and bundles"])
    p = _Problems()
    matters = {
        item["code"]: (item, *_check_matter(p, item))
        for item in _check_codes(p, data.get("matters"), "matter")
    }
    prereqs = {code: pres for code, (_, _, pres) in matters.items()}
    for code, (item, fields, pres) in matters.items():
        for pre in fields[RESULTS]:
            if pre == code or pre not in matters:
                p.add(item, code, f"unknown or own result {pre}")
        for pre in pres:
            if pre == code:
                p.add(item, code, "lists itself as a prerequisite")
            elif pre not in matters:
                p.add(item, code, f"unknown prerequisite {pre}")
    cycle = find_cycle({c: {x for x in pres if x in matters} for c, pres in prereqs.items()})
    if cycle:
        p.add(matters[cycle[0]][0], cycle[0], "prerequisites form a loop: " + " → ".join(cycle))
    templates = {
        item["code"]: _check_template(p, item, set(matters), prereqs)
        for item in _check_codes(p, data.get("templates"), "template")
    }
    bundles = {
        item["code"]: _check_bundle(p, item, set(matters))
        for item in _check_codes(p, data.get("bundles"), "bundle")
    }
    if p:
        raise CatalogError(list(p))
    return _Spec({c: (f, pres) for c, (_, f, pres) in matters.items()}, templates, bundles)


# ------------------------------------------------------------------------------- writing


def _upsert(model, code: str, fields: dict):
    """(row, outcome): create or update the row keyed on `code`; leave an unchanged row unsaved."""
    row = model.objects.filter(code=code).first()
    if row is not None and all(getattr(row, k) == v for k, v in fields.items()):
        return row, "unchanged"
    row, created = model.objects.update_or_create(code=code, defaults=fields)
    return row, "created" if created else "updated"


def _sync_set(manager, wanted_ids: set[int]) -> bool:
    """Make a many-to-many manager hold exactly `wanted_ids`; True when it changed."""
    if set(manager.values_list("pk", flat=True)) == wanted_ids:
        return False
    manager.set(wanted_ids)
    return True


def _sync_template(template: Template, spec: dict, ids: dict[str, int], prereqs) -> bool:
    """Make the template's items and links match `spec`; True when anything changed."""
    changed = False
    wanted_items = {ids[c]: pos for pos, c in enumerate(spec["matters"])}
    optional = {ids[c] for c in spec.get("optional", ())}
    items = {i.matter_id: i for i in template.items.all()}
    for matter_id, item in items.items():
        if matter_id not in wanted_items:
            item.delete()
            changed = True
        elif (item.position, item.optional) != (wanted_items[matter_id], matter_id in optional):
            item.position = wanted_items[matter_id]
            item.optional = matter_id in optional
            item.save(update_fields=["position", "optional"])
            changed = True
    new = [
        TemplateItem(template=template, matter_id=m, position=pos, optional=m in optional)
        for m, pos in wanted_items.items()
        if m not in items
    ]
    TemplateItem.objects.bulk_create(new)
    wanted = {(ids[a], ids[b]): v for (a, b), v in _template_edges(spec, prereqs).items()}
    links = {(x.predecessor_id, x.successor_id): x for x in template.links.all()}
    for key, link in links.items():
        if key not in wanted:
            link.delete()
            changed = True
        elif (link.type, link.lag) != wanted[key]:
            link.type, link.lag = wanted[key]
            link.save(update_fields=["type", "lag"])
            changed = True
    missing = [
        TemplateLink(template=template, predecessor_id=a, successor_id=b, type=t, lag=lag)
        for (a, b), (t, lag) in wanted.items()
        if (a, b) not in links
    ]
    TemplateLink.objects.bulk_create(missing)
    return changed or bool(new) or bool(missing)


def _write(spec: _Spec, report: LoadReport):
    """Upsert everything in `spec`, count outcomes; return the object the audit event is about."""
    matters, outcomes = {}, {}
    results = {}
    for code, (fields, _) in spec.matters.items():
        own = dict(fields)
        results[code] = own.pop(RESULTS)
        matters[code], outcomes[code] = _upsert(Matter, code, own)
    ids = {code: m.pk for code, m in matters.items()}
    prereqs = {code: pres for code, (_, pres) in spec.matters.items()}
    for code, pres in prereqs.items():
        changed = _sync_set(matters[code].prerequisites, {ids[p] for p in pres})
        changed |= _sync_set(matters[code].required_results, {ids[r] for r in results[code]})
        report.add(
            "matters", "updated" if changed and outcomes[code] == "unchanged" else outcomes[code]
        )
    templates = []
    for code, tspec in spec.templates.items():
        fields = {k: tspec[k] for k in ("name", "category", "description")}
        template, outcome = _upsert(Template, code, fields)
        changed = _sync_template(template, tspec, ids, prereqs)
        report.add("templates", "updated" if changed and outcome == "unchanged" else outcome)
        templates.append(template)
    bundles = []
    for code, bspec in spec.bundles.items():
        fields = {k: bspec[k] for k in ("name", "limit", "unit", "source")}
        bundle, outcome = _upsert(Bundle, code, fields)
        changed = _sync_set(bundle.matters, {ids[c] for c in bspec["matters"]})
        report.add("bundles", "updated" if changed and outcome == "unchanged" else outcome)
        bundles.append(bundle)
    return next(iter([*templates, *matters.values(), *bundles]), None)


def load_catalog(path: Path | str | None = None, *, stdout=None) -> LoadReport:
    """Check the whole catalog file, then write matters, templates and bundles in one transaction."""
    spec = read_catalog(path or DEFAULT_PATH)
    report = LoadReport()
    with transaction.atomic():
        anchor = _write(spec, report)
        if anchor is not None:
            audit.record(anchor, "catalog_loaded", actor=None, changes=report.as_dict())
    if stdout is not None:
        for line in report.lines():
            stdout.write(line + "\n")
    return report


# ---------------------------------------------------------------------------- departments

DEPARTMENTS = {
    DepartmentKind.DEVELOPMENT: ("发展和改革局", "发展改革"),
    DepartmentKind.PLANNING: ("规划和自然资源局", "规资"),
    DepartmentKind.RENEWAL: ("城市更新和土地整备局", "城更"),
    DepartmentKind.HOUSING: ("住房和建设局", "住建"),
    DepartmentKind.ECOLOGY: ("生态环境局", "生态环境"),
    DepartmentKind.WATER: ("水务局", "水务"),
    DepartmentKind.TRANSPORT: ("交通运输局", "交通运输"),
    DepartmentKind.LAND_INSPECTION: ("土地监察局", "土地监察"),
}


def seed_departments(region) -> list:
    """Create (or rename) the eight approval departments of `region`, e.g. 深圳市宝安区住房和建设局."""
    from greenlight.accounts.models import Department

    city = region.parent.name if region.parent_id else ""
    prefix = region.name if region.name.startswith(city) else f"{city}{region.name}"
    departments = []
    with transaction.atomic():
        for kind, (suffix, short) in DEPARTMENTS.items():
            wanted = {"name": f"{prefix}{suffix}", "short_name": short}
            dept = Department.objects.filter(region=region, kind=kind).first()
            if dept is None:
                dept = Department.objects.create(region=region, kind=kind, **wanted)
            elif any(getattr(dept, k) != v for k, v in wanted.items()):
                Department.objects.filter(pk=dept.pk).update(**wanted)
                dept.refresh_from_db()
            departments.append(dept)
    return departments
