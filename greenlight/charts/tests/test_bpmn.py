"""BPMN 2.0 export: valid against the OMG schemas, lanes per department, gateways, flows."""

from datetime import date
from pathlib import Path

import pytest

from greenlight.charts import bpmn
from greenlight.engine.schedule import schedule

from .helpers import BPMN_LABELS, CN, big_plan, task

etree = pytest.importorskip("lxml.etree")
XSD = Path(__file__).parent / "xsd" / "BPMN20.xsd"
B = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(XSD)))


def diamond():
    return [
        task("a", 3, dept="发改"),
        task("b", 10, "a", dept="规资"),
        task("c", 2, ("a", "SS", 2), dept="住建"),
        task("d", 5, "b", "c", dept="住建"),
    ]


@pytest.mark.parametrize(
    "tasks", [diamond(), big_plan(), [task("solo", 1)]], ids=["diamond", "60", "one"]
)
def test_export_validates_against_the_bpmn_20_xsd(schema, tasks):
    # given a plan / when exported
    result = schedule(tasks, start=date(2026, 3, 2), calendar=CN)
    xml = bpmn.to_bpmn(tasks, result, name="项目 & 计划", labels=BPMN_LABELS)
    doc = etree.fromstring(xml.encode())
    # then it is valid BPMN 2.0
    assert schema.validate(doc), schema.error_log


def test_an_invalid_document_is_caught_by_the_schema(schema):
    # given an export with a gateway direction BPMN does not know
    xml = bpmn.to_bpmn(diamond(), name="x", labels=BPMN_LABELS).replace(
        '"Diverging"', '"Sideways"', 1
    )
    # then validation fails: the test above can fail
    assert not schema.validate(etree.fromstring(xml.encode()))


def test_lanes_gateways_and_flows():
    # given a → (b, c SS+2) → d
    xml = bpmn.to_bpmn(diamond(), name="p", labels=BPMN_LABELS)
    doc = etree.fromstring(xml.encode())
    # then one lane per department, with the tasks in them
    lanes = {ln.get("name"): [r.text for r in ln] for ln in doc.iter(f"{B}lane")}
    assert set(lanes) == {"发改", "规资", "住建"}
    names = {t.get("id"): t.get("name") for t in doc.iter(f"{B}task")}
    assert sorted(names[i] for i in lanes["住建"] if i in names) == ["c", "d"]
    # and a diverging gateway after a, a converging one before d
    gateways = {g.get("id"): g.get("gatewayDirection") for g in doc.iter(f"{B}parallelGateway")}
    assert "Diverging" in gateways.values() and "Converging" in gateways.values()
    # and the early-intervention link is a named sequence flow
    assert any(f.get("name") == "SS+2" for f in doc.iter(f"{B}sequenceFlow"))
    # and every node has a diagram shape, every flow an edge
    shapes = {
        s.get("bpmnElement")
        for s in doc.iter("{http://www.omg.org/spec/BPMN/20100524/DI}BPMNShape")
    }
    flow_ids = {f.get("id") for f in doc.iter(f"{B}sequenceFlow")}
    edges = {
        e.get("bpmnElement") for e in doc.iter("{http://www.omg.org/spec/BPMN/20100524/DI}BPMNEdge")
    }
    assert set(names) <= shapes and flow_ids == edges


def test_names_and_documentation_use_the_callers_words():
    # given a → (b, c SS+2) → d with c outside any department
    tasks = diamond()
    tasks[2] = task("c", 2, ("a", "SS", 2))
    result = schedule(tasks, start=date(2026, 3, 2), calendar=CN)
    # when exported
    doc = etree.fromstring(bpmn.to_bpmn(tasks, result, name="p", labels=BPMN_LABELS).encode())
    # then the lane, the start-to-start flow and the documentation are in the labels' words
    assert "—" in {ln.get("name") for ln in doc.iter(f"{B}lane")}
    assert "SS+2" in {f.get("name") for f in doc.iter(f"{B}sequenceFlow")}
    docs = [d.text for d in doc.iter(f"{B}documentation")]
    assert "a · 3工作日 · 关键路径" in docs
