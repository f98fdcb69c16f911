"""BPMN 2.0 XML of a plan: one lane per department, parallel gateways, prerequisites as flows.

The process starts with a start event; a task with several successors is followed by a
diverging parallel gateway, a task with several prerequisites is preceded by a converging one;
the tasks nothing waits for join into the end event. Start-to-start links (early intervention)
are sequence flows named `SS+lag`. A diagram (BPMNDI) places the elements left to right by
dependency depth, so bpmn.io and Camunda Modeler open the file laid out. The words written into
names and documentation come from the caller's `BpmnLabels`. Pure Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from greenlight.engine.network import Bundle, LinkType, Task, Unit
from greenlight.engine.schedule import Schedule

__all__ = ["BpmnLabels", "to_bpmn"]

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
}
SIZE = {"task": (110, 64), "gateway": (50, 50), "event": (36, 36)}
COL, ROW, POOL_LABEL = 150, 90, 30


@dataclass(frozen=True)
class BpmnLabels:
    """The words of a BPMN export: `start_to_start` takes lag, `bundle` takes name."""

    no_department: str  # lane of tasks without a department
    workday: str  # unit after a duration
    day: str
    critical: str
    bundle: str
    start_to_start: str


class _Graph:
    """Flow nodes (tasks, gateways, events) and sequence flows, before writing."""

    def __init__(self):
        self.nodes: dict[str, dict] = {}
        self.flows: list[tuple[str, str, str, str]] = []  # id, source, target, name

    def node(self, nid: str, kind: str, lane: str, name: str = "", direction: str = "") -> str:
        """Add a flow node; returns its id."""
        self.nodes[nid] = {"kind": kind, "lane": lane, "name": name, "dir": direction,
                           "in": [], "out": []}  # fmt: skip
        return nid

    def flow(self, source: str, target: str, name: str = "") -> None:
        """Add a sequence flow from `source` to `target`."""
        fid = f"Flow_{len(self.flows) + 1}"
        self.flows.append((fid, source, target, name))
        self.nodes[source]["out"].append(fid)
        self.nodes[target]["in"].append(fid)


def _build(tasks: Sequence[Task], lane_of: dict[str, str], labels: BpmnLabels) -> _Graph:
    g = _Graph()
    ids = {t.id: f"Task_{k + 1}" for k, t in enumerate(tasks)}
    succs: dict[str, list[tuple[str, str]]] = {t.id: [] for t in tasks}
    for t in tasks:
        for link in t.after:
            if link.task in succs:
                name = (
                    labels.start_to_start.format(lag=link.lag)
                    if link.type == LinkType.SS
                    else (f"+{link.lag}" if link.lag else "")
                )
                succs[link.task].append((t.id, name))
    first_lane = lane_of[tasks[0].id]
    start = g.node("StartEvent_1", "startEvent", first_lane)
    for t in tasks:
        g.node(ids[t.id], "task", lane_of[t.id], t.name or t.id)
    # entry point of each task: the task itself, or a converging gateway before it
    entry = {}
    for t in tasks:
        preds = [link for link in t.after if link.task in succs]
        if len(preds) > 1:
            entry[t.id] = g.node(
                f"Join_{ids[t.id]}", "parallelGateway", lane_of[t.id], "", "Converging"
            )
            g.flow(entry[t.id], ids[t.id])
        else:
            entry[t.id] = ids[t.id]
    roots = [t for t in tasks if not any(link.task in succs for link in t.after)]
    _fan(g, start, [(entry[t.id], "") for t in roots], "Fork_Start", first_lane)
    for t in tasks:
        outs = [(entry[s], name) for s, name in succs[t.id]]
        if outs:
            _fan(g, ids[t.id], outs, f"Fork_{ids[t.id]}", lane_of[t.id])
    leaves = [t for t in tasks if not succs[t.id]]
    last_lane = lane_of[leaves[-1].id]
    end = g.node("EndEvent_1", "endEvent", last_lane)
    if len(leaves) > 1:
        join = g.node("Join_End", "parallelGateway", last_lane, "", "Converging")
        for t in leaves:
            g.flow(ids[t.id], join)
        g.flow(join, end)
    else:
        g.flow(ids[leaves[0].id], end)
    return g


def _fan(g: _Graph, source: str, targets: list[tuple[str, str]], fork_id: str, lane: str) -> None:
    """One flow, or a diverging parallel gateway when several branches leave `source`."""
    if len(targets) == 1:
        g.flow(source, targets[0][0], targets[0][1])
        return
    fork = g.node(fork_id, "parallelGateway", lane, "", "Diverging")
    g.flow(source, fork)
    for target, name in targets:
        g.flow(fork, target, name)


def _columns(g: _Graph) -> dict[str, int]:
    """Dependency depth of every node (longest path from the start event)."""
    preds: dict[str, list[str]] = {n: [] for n in g.nodes}
    for _, s, t, _ in g.flows:
        preds[t].append(s)
    depth: dict[str, int] = {}

    def visit(n: str) -> int:
        if n not in depth:
            depth[n] = 1 + max((visit(p) for p in preds[n]), default=-1)
        return depth[n]

    for n in g.nodes:
        visit(n)
    return depth


def _layout(g: _Graph, lanes: list[str]):
    """Bounds of every node and lane: columns by depth, rows within a lane by arrival."""
    col = _columns(g)
    slots: dict[tuple[str, int], int] = {}
    lane_rows = dict.fromkeys(lanes, 1)
    row_of = {}
    for n in sorted(g.nodes, key=lambda n: (col[n], n)):
        key = (g.nodes[n]["lane"], col[n])
        row_of[n] = slots.get(key, 0)
        slots[key] = row_of[n] + 1
        lane_rows[key[0]] = max(lane_rows[key[0]], slots[key])
    lane_y, y = {}, 0
    for name in lanes:
        lane_y[name] = (y, lane_rows[name] * ROW + 20)
        y += lane_rows[name] * ROW + 20
    width = POOL_LABEL + 40 + (max(col.values()) + 1) * COL
    bounds = {}
    for n, node in g.nodes.items():
        w, h = SIZE[
            "task"
            if node["kind"] == "task"
            else "gateway"
            if "Gateway" in node["kind"]
            else "event"
        ]
        cx = POOL_LABEL + 40 + col[n] * COL + COL / 2
        cy = lane_y[node["lane"]][0] + 10 + row_of[n] * ROW + ROW / 2
        bounds[n] = (cx - w / 2, cy - h / 2, w, h)
    return bounds, lane_y, width, y


def to_bpmn(
    tasks: Sequence[Task],
    result: Schedule | None = None,
    *,
    name: str,
    labels: BpmnLabels,
    bundles: Sequence[Bundle] = (),
) -> str:
    """The plan as a BPMN 2.0 document (a collaboration with one pool, lanes per department)."""
    tasks = list(tasks)
    if not tasks:
        raise ValueError("a BPMN export needs at least one task")
    lane_of = {t.id: t.department or labels.no_department for t in tasks}
    lanes = list(dict.fromkeys(lane_of[t.id] for t in tasks))
    g = _build(tasks, lane_of, labels)
    bounds, lane_y, width, height = _layout(g, lanes)
    critical = {t.id for t in result.tasks if t.critical} if result else set()
    ids = {f"Task_{k + 1}": t for k, t in enumerate(tasks)}
    bundle_of = {m: b.name or b.id for b in bundles for m in b.tasks}
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<bpmn:definitions " + " ".join(f'xmlns:{p}="{u}"' for p, u in NS.items())
        + ' id="Definitions_1" targetNamespace="https://greenlight.invalid/bpmn" '
        'exporter="Greenlight" exporterVersion="1">',
        f'<bpmn:collaboration id="Collaboration_1"><bpmn:participant id="Participant_1" '
        f'name={quoteattr(name)} processRef="Process_1"/></bpmn:collaboration>',
        '<bpmn:process id="Process_1" isExecutable="false">',
        '<bpmn:laneSet id="LaneSet_1">',
    ]  # fmt: skip
    for k, lane in enumerate(lanes):
        out.append(f'<bpmn:lane id="Lane_{k + 1}" name={quoteattr(lane)}>')
        out += [
            f"<bpmn:flowNodeRef>{n}</bpmn:flowNodeRef>"
            for n, v in g.nodes.items()
            if v["lane"] == lane
        ]
        out.append("</bpmn:lane>")
    out.append("</bpmn:laneSet>")
    for n, v in g.nodes.items():
        attrs = f" name={quoteattr(v['name'])}" if v["name"] else ""
        if v["dir"]:
            attrs += f' gatewayDirection="{v["dir"]}"'
        out.append(f'<bpmn:{v["kind"]} id="{n}"{attrs}>')
        t = ids.get(n)
        if t is not None:
            doc = _documentation(t, labels, t.id in critical, bundle_of.get(t.id))
            out.append(f"<bpmn:documentation>{_esc(doc)}</bpmn:documentation>")
        out += [f"<bpmn:incoming>{f}</bpmn:incoming>" for f in v["in"]]
        out += [f"<bpmn:outgoing>{f}</bpmn:outgoing>" for f in v["out"]]
        out.append(f"</bpmn:{v['kind']}>")
    for fid, s, t, label in g.flows:
        attrs = f" name={quoteattr(label)}" if label else ""
        out.append(f'<bpmn:sequenceFlow id="{fid}"{attrs} sourceRef="{s}" targetRef="{t}"/>')
    out.append("</bpmn:process>")
    out += _diagram(g, bounds, lanes, lane_y, width, height)
    out.append("</bpmn:definitions>")
    return "\n".join(out) + "\n"


def _documentation(t: Task, labels: BpmnLabels, critical: bool, bundle: str | None) -> str:
    unit = labels.workday if t.unit == Unit.WORKDAY else labels.day
    doc = f"{t.id} · {t.duration}{unit}" + (f" · {labels.critical}" if critical else "")
    return doc + (f" · {labels.bundle.format(name=bundle)}" if bundle else "")


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _bounds(x, y, w, h) -> str:
    return f'<dc:Bounds x="{x:.0f}" y="{y:.0f}" width="{w:.0f}" height="{h:.0f}"/>'


def _diagram(g: _Graph, bounds, lanes, lane_y, width, height) -> list[str]:
    out = [
        '<bpmndi:BPMNDiagram id="Diagram_1">',
        '<bpmndi:BPMNPlane id="Plane_1" bpmnElement="Collaboration_1">',
        '<bpmndi:BPMNShape id="Participant_1_di" bpmnElement="Participant_1" isHorizontal="true">'
        + _bounds(0, 0, width, height) + "</bpmndi:BPMNShape>",
    ]  # fmt: skip
    for k, lane in enumerate(lanes):
        y, h = lane_y[lane]
        out.append(
            f'<bpmndi:BPMNShape id="Lane_{k + 1}_di" bpmnElement="Lane_{k + 1}" isHorizontal="true">'
            + _bounds(POOL_LABEL, y, width - POOL_LABEL, h) + "</bpmndi:BPMNShape>"
        )  # fmt: skip
    for n in g.nodes:
        out.append(
            f'<bpmndi:BPMNShape id="{n}_di" bpmnElement="{n}">{_bounds(*bounds[n])}</bpmndi:BPMNShape>'
        )
    for fid, s, t, _ in g.flows:
        sx, sy, sw, sh = bounds[s]
        tx, ty, _tw, th = bounds[t]
        x1, y1, x2, y2 = sx + sw, sy + sh / 2, tx, ty + th / 2
        points = (
            [(x1, y1), (x2, y2)]
            if abs(y1 - y2) < 1
            else [(x1, y1), ((x1 + x2) / 2, y1), ((x1 + x2) / 2, y2), (x2, y2)]
        )
        out.append(f'<bpmndi:BPMNEdge id="{fid}_di" bpmnElement="{fid}">')
        out += [f'<di:waypoint x="{x:.0f}" y="{y:.0f}"/>' for x, y in points]
        out.append("</bpmndi:BPMNEdge>")
    out += ["</bpmndi:BPMNPlane>", "</bpmndi:BPMNDiagram>"]
    return out
