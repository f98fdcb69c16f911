"""The seed catalog and its loader: content, idempotency, validation, atomicity, the command."""

from __future__ import annotations

import copy
import io

import pytest
import yaml
from django.core.management import call_command

from greenlight.accounts.choices import RegionLevel
from greenlight.accounts.models import Department, Region
from greenlight.audit.models import AuditEvent
from greenlight.catalog import seeding
from greenlight.catalog.choices import Stage
from greenlight.catalog.models import Bundle, Matter, Template, TemplateItem, TemplateLink
from greenlight.catalog.services import find_cycle

MODELS = (Matter, Matter.prerequisites.through, Template, TemplateItem, TemplateLink, Bundle)


def counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in MODELS}


def matter(code: str, prerequisites=(), **overrides) -> dict:
    base = {
        "code": code,
        "name": f"事项 {code}",
        "department": "housing",
        "stage": "construction_permit",
        "statutory": {"limit": 15, "unit": "workday", "source": "测试"},
        "committed": {"limit": 10, "unit": "workday", "source": "示例承诺时限"},
        "accept_with_gaps": False,
        "commitment_based": False,
        "materials": ["申请表"],
        "prerequisites": list(prerequisites),
    }
    return {**base, **overrides}


SMALL = {
    "matters": [matter("A-01"), matter("A-02", ["A-01"]), matter("A-03", ["A-02"])],
    "templates": [
        {
            "code": "t1",
            "name": "测试模板",
            "category": "small_low_risk",
            "matters": ["A-01", "A-02", "A-03"],
            "links": [{"from": "A-01", "to": "A-03", "type": "SS", "lag": 2}],
        }
    ],
    "bundles": [
        {"code": "b1", "name": "联办", "matters": ["A-01", "A-02"], "limit": 5, "unit": "workday"}
    ],
}


def write(tmp_path, data: dict, name: str = "catalog.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_seed_loads_every_stage_all_templates_and_the_bundle():
    # given an empty catalog
    # when the seed is loaded
    report = seeding.load_catalog()

    # then it holds 30+ matters over the four stages, the four templates and the 11-day bundle
    assert Matter.objects.count() >= 30
    assert set(Matter.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert set(Template.objects.values_list("code", flat=True)) == {
        "gov_building",
        "social_industry",
        "small_low_risk",
        "linear",
    }
    bundle = Bundle.objects.get(code="eia_permit")
    assert (bundle.limit, bundle.unit) == (11, "workday")
    assert {m.code for m in bundle.matters.all()} == {"EC-01", "EC-03"}
    assert report.counts["matters"]["created"] == Matter.objects.count()
    assert report.updated == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "limit", "unit"),
    [
        ("施工图设计文件审查", 15, "workday"),
        ("特殊建设工程消防设计审查", 15, "workday"),
        ("建筑工程施工许可证核发", 7, "day"),
        ("建设项目环境影响报告书审批", 60, "day"),
        ("建设项目环境影响报告表审批", 30, "day"),
        ("排污许可证核发", 20, "day"),
    ],
)
def test_seed_pins_statutory_limits(name, limit, unit):
    # given the seed is loaded
    seeding.load_catalog()

    # when the matter is read
    found = Matter.objects.get(name=name)

    # then its statutory limit is the one in the regulation, and the regulation is cited
    assert (found.statutory_limit, found.statutory_unit) == (limit, unit)
    assert "《" in found.statutory_source


@pytest.mark.django_db
def test_second_load_changes_nothing():
    # given the seed loaded once
    seeding.load_catalog()
    before = counts()
    events = AuditEvent.objects.filter(action="catalog_loaded").count()

    # when it is loaded again
    report = seeding.load_catalog()

    # then nothing is created or updated, row counts are equal, and the load is still audited
    assert (report.created, report.updated) == (0, 0)
    assert report.counts["matters"]["unchanged"] == Matter.objects.count()
    assert counts() == before
    assert AuditEvent.objects.filter(action="catalog_loaded").count() == events + 1


@pytest.mark.django_db
def test_every_template_graph_is_acyclic_and_closed():
    # given the seed is loaded
    seeding.load_catalog()

    for template in Template.objects.all():
        # when its graph is read
        inside = set(template.items.values_list("matter__code", flat=True))
        links = list(template.links.values_list("predecessor__code", "successor__code"))
        graph: dict[str, set[str]] = {code: set() for code in inside}
        for pre, succ in links:
            graph[succ].add(pre)

        # then it has 12-30 matters, every edge and prerequisite stays inside, and there is no loop
        assert 12 <= len(inside) <= 30, template.code
        assert all(pre in inside and succ in inside for pre, succ in links), template.code
        for item in Matter.objects.filter(code__in=inside).prefetch_related("prerequisites"):
            outside = {p.code for p in item.prerequisites.all()} - inside
            assert not outside, (template.code, item.code, outside)
            assert {p.code for p in item.prerequisites.all()} <= graph[item.code]
        assert find_cycle(graph) is None, template.code


@pytest.mark.django_db
def test_template_links_add_to_and_override_prerequisites():
    # given the seed is loaded
    seeding.load_catalog()

    # when the social-industry template's links are read
    links = {
        (link.predecessor.code, link.successor.code): (link.type, link.lag)
        for link in TemplateLink.objects.filter(template__code="social_industry")
    }

    # then early intervention overrides the prerequisite, and the bundle's pair starts together
    assert links[("PL-06", "HS-01")] == ("SS", 5)
    assert links[("EC-01", "EC-03")] == ("SS", 0)
    assert links[("PL-07", "HS-05")] == ("FS", 0)


@pytest.mark.django_db
def test_small_catalog_writes_items_links_and_bundle(tmp_path):
    # given a three-matter catalog file
    path = write(tmp_path, SMALL)

    # when it is loaded
    seeding.load_catalog(path)

    # then items keep file order and links are the prerequisites plus the explicit link
    template = Template.objects.get(code="t1")
    assert list(template.items.values_list("matter__code", "position")) == [
        ("A-01", 0),
        ("A-02", 1),
        ("A-03", 2),
    ]
    assert set(
        template.links.values_list("predecessor__code", "successor__code", "type", "lag")
    ) == {
        ("A-01", "A-02", "FS", 0),
        ("A-02", "A-03", "FS", 0),
        ("A-01", "A-03", "SS", 2),
    }
    assert Bundle.objects.get(code="b1").matters.count() == 2


@pytest.mark.django_db
def test_changing_one_matter_updates_only_that_matter(tmp_path):
    # given a loaded catalog
    seeding.load_catalog(write(tmp_path, SMALL))
    changed = copy.deepcopy(SMALL)
    changed["matters"][2]["statutory"]["limit"] = 20
    changed["matters"][1]["prerequisites"] = []

    # when the file changes one limit and one prerequisite list
    report = seeding.load_catalog(write(tmp_path, changed, "changed.yaml"))

    # then exactly those matters and the template whose graph changed are updated
    assert report.as_dict()["matters"] == {"created": 0, "updated": 2, "unchanged": 1}
    assert report.as_dict()["templates"]["updated"] == 1
    assert Matter.objects.get(code="A-03").statutory_limit == 20
    assert not TemplateLink.objects.filter(
        predecessor__code="A-01", successor__code="A-02"
    ).exists()


@pytest.mark.django_db
def test_seed_marks_site_dependent_matters_optional():
    # given the seed is loaded
    seeding.load_catalog()

    # when the optional items are read
    optional = set(
        TemplateItem.objects.filter(optional=True).values_list("template__code", "matter__code")
    )

    # then 占道挖掘, 水土保持, 洪评 and 涉路施工 are optional where they depend on the site
    assert optional == {
        ("gov_building", "TR-02"),
        ("small_low_risk", "WA-01"),
        ("linear", "WA-03"),
        ("linear", "TR-03"),
    }


@pytest.mark.django_db
def test_marking_a_matter_optional_updates_the_template(tmp_path):
    # given a loaded catalog
    seeding.load_catalog(write(tmp_path, SMALL))
    changed = copy.deepcopy(SMALL)
    changed["templates"][0]["optional"] = ["A-03"]

    # when the file marks A-03 optional
    report = seeding.load_catalog(write(tmp_path, changed, "changed.yaml"))

    # then the template is updated and only that item is optional
    assert report.as_dict()["templates"]["updated"] == 1
    assert list(
        TemplateItem.objects.filter(optional=True).values_list("matter__code", flat=True)
    ) == ["A-03"]
    assert seeding.load_catalog(write(tmp_path, changed, "again.yaml")).updated == 0


def _mutate(data: dict, case: str) -> str:
    """Break `data` in one way; return the code the error must name."""
    matters = data["matters"]
    if case == "department":
        matters[0]["department"] = "police"
    elif case == "stage":
        matters[1]["stage"] = "design"
    elif case == "unit":
        matters[2]["committed"]["unit"] = "week"
    elif case == "negative":
        matters[1]["statutory"]["limit"] = -3
    elif case == "fraction":
        matters[2]["statutory"]["limit"] = 2.5
    elif case == "prerequisite":
        matters[2]["prerequisites"] = ["ZZ-99"]
    elif case == "loop":
        matters[0]["prerequisites"] = ["A-03"]
        return "A-01"
    elif case == "duplicate":
        matters.append(matter("A-02"))
    elif case == "category":
        data["templates"][0]["category"] = "mall"
        return "t1"
    elif case == "template_matter":
        data["templates"][0]["matters"].append("ZZ-98")
        return "ZZ-98"
    elif case == "optional_outside":
        data["templates"][0]["optional"] = ["A-02", "ZZ-97"]
        return "ZZ-97"
    elif case == "link_outside":
        data["templates"][0]["matters"] = ["A-01", "A-02"]
        data["templates"][0]["links"] = [{"from": "A-01", "to": "A-03"}]
        return "A-03"
    return {"department": "A-01", "stage": "A-02", "negative": "A-02", "duplicate": "A-02"}.get(
        case, "A-03"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case",
    [
        "department",
        "stage",
        "unit",
        "negative",
        "fraction",
        "prerequisite",
        "loop",
        "duplicate",
        "category",
        "template_matter",
        "optional_outside",
        "link_outside",
    ],
)
def test_bad_catalog_is_refused_naming_the_matter(tmp_path, case):
    # given a catalog file broken in one way
    data = copy.deepcopy(SMALL)
    code = _mutate(data, case)
    path = write(tmp_path, data)

    # when it is loaded
    with pytest.raises(seeding.CatalogError) as caught:
        seeding.load_catalog(path)

    # then the error names the matter and its line, and nothing was written
    assert any(code in line and line.startswith("line ") for line in caught.value.problems)
    assert sum(counts().values()) == 0


@pytest.mark.django_db
def test_loop_error_names_every_matter_on_it(tmp_path):
    # given a three-matter loop
    data = copy.deepcopy(SMALL)
    data["matters"][0]["prerequisites"] = ["A-03"]

    # when it is loaded
    with pytest.raises(seeding.CatalogError) as caught:
        seeding.load_catalog(write(tmp_path, data))

    # then one line shows the loop through all three
    assert any(all(c in line for c in ("A-01", "A-02", "A-03")) for line in caught.value.problems)


@pytest.mark.django_db
def test_several_problems_are_reported_together(tmp_path):
    # given a file with two unrelated problems
    data = copy.deepcopy(SMALL)
    data["matters"][0]["department"] = "police"
    data["matters"][2]["prerequisites"] = ["ZZ-99"]

    # when it is loaded
    with pytest.raises(seeding.CatalogError) as caught:
        seeding.load_catalog(write(tmp_path, data))

    # then both are listed, one per line
    assert len(caught.value.problems) == 2


@pytest.mark.django_db
def test_failed_load_leaves_the_catalog_as_it_was(tmp_path):
    # given the seed loaded, and a file that renames a matter but has an error elsewhere
    seeding.load_catalog()
    before = counts()
    data = copy.deepcopy(SMALL)
    data["matters"][0]["code"] = "HS-01"
    data["matters"][0]["name"] = "改名"
    data["matters"][2]["stage"] = "nowhere"

    # when it is loaded
    with pytest.raises(seeding.CatalogError):
        seeding.load_catalog(write(tmp_path, data))

    # then nothing changed
    assert counts() == before
    assert Matter.objects.get(code="HS-01").name == "施工图设计文件审查"


@pytest.mark.django_db
def test_failure_while_writing_rolls_everything_back(tmp_path, monkeypatch):
    # given a valid file and an audit trail that fails at the end of the load
    def broken(*args, **kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(seeding.audit, "record", broken)

    # when it is loaded
    with pytest.raises(RuntimeError):
        seeding.load_catalog(write(tmp_path, SMALL))

    # then no row of it remains
    assert sum(counts().values()) == 0


@pytest.mark.django_db
def test_invalid_yaml_names_the_line(tmp_path):
    # given a file that is not YAML
    path = tmp_path / "broken.yaml"
    path.write_text("matters:\n  - code: A\n   name: [unclosed\n", encoding="utf-8")

    # when it is loaded
    with pytest.raises(seeding.CatalogError) as caught:
        seeding.load_catalog(path)

    # then the error gives a line
    assert caught.value.problems[0].startswith("line ")


@pytest.mark.django_db
def test_command_loads_and_reports(tmp_path):
    # given a valid file
    out = io.StringIO()

    # when the command loads it
    call_command("catalog", "load", str(write(tmp_path, SMALL)), stdout=out)

    # then it reports per kind
    assert "matters: 3 created, 0 updated, 0 unchanged" in out.getvalue()


@pytest.mark.django_db
def test_command_exits_2_on_a_bad_file(tmp_path):
    # given a broken file
    data = copy.deepcopy(SMALL)
    data["matters"][0]["department"] = "police"
    err = io.StringIO()

    # when the command loads it
    with pytest.raises(SystemExit) as caught:
        call_command("catalog", "load", str(write(tmp_path, data)), stderr=err)

    # then it exits 2 and prints the problem without a traceback
    assert caught.value.code == 2
    assert "A-01" in err.getvalue()
    assert "Traceback" not in err.getvalue()


@pytest.mark.django_db
def test_seed_departments_is_idempotent():
    # given Bao'an district under Shenzhen
    city = Region.objects.create(code="440300", name="深圳市", level=RegionLevel.CITY)
    district = Region.objects.create(
        code="440306", name="宝安区", level=RegionLevel.DISTRICT, parent=city
    )

    # when departments are seeded twice
    seeding.seed_departments(district)
    seeding.seed_departments(district)

    # then there are eight, named after the city and district
    departments = Department.objects.filter(region=district)
    assert departments.count() == 8
    housing = departments.get(kind="housing")
    assert (housing.name, housing.short_name) == ("深圳市宝安区住房和建设局", "住建")
    assert departments.get(kind="drc").name == "深圳市宝安区发展和改革局"
