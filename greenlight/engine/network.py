"""Engine input values (tasks, links, bundles) and their compiled, validated network."""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Unit(StrEnum):
    """How a duration is counted: working days on the calendar, or every calendar day."""

    WORKDAY = "workday"
    DAY = "day"


class LinkType(StrEnum):
    """Finish-to-start (wait for the end) or start-to-start (wait for the start + lag)."""

    FS = "FS"
    SS = "SS"


class ScheduleError(ValueError):
    """Input the engine cannot schedule; `task` names the task at fault when there is one."""

    def __init__(self, message: str, *, task: str = "", field: str = ""):
        super().__init__(message)
        self.message, self.task, self.field = message, task, field


@dataclass(frozen=True)
class Link:
    """A prerequisite: `task` must finish (FS) or start (SS) first, then `lag` more days pass."""

    task: str
    type: LinkType = LinkType.FS
    lag: int = 0


@dataclass(frozen=True)
class Task:
    """One approval matter or piece of work in a plan."""

    id: str
    duration: int
    unit: Unit = Unit.WORKDAY
    after: tuple[Link, ...] = ()
    name: str = ""
    department: str = ""
    # A legal period (民法典 203): a duration in days whose last day, when it is a rest day or
    # a holiday, moves to the next working day. Catalog matters' day limits are legal periods.
    legal: bool = False


@dataclass(frozen=True)
class Bundle:
    """Tasks handled together (一口受理、同步审批、一次办结) as one task of its own duration."""

    id: str
    tasks: tuple[str, ...]
    duration: int
    unit: Unit = Unit.WORKDAY
    name: str = ""
    legal: bool = False  # as Task.legal


@dataclass(frozen=True)
class Actual:
    """What happened to a task: its actual start and, once done, its actual finish; `due`, for
    a task still running, is the day its clock (pauses included) leaves it until."""

    start: date
    finish: date | None = None
    due: date | None = None


@dataclass(frozen=True)
class Target:
    """Backward planning (拿地即开工): `task` must finish by `by`."""

    task: str
    by: date


@dataclass(frozen=True)
class Network:
    """Tasks and bundles compiled to integer nodes in topological order; build once, reuse."""

    tasks: tuple[Task, ...]
    bundles: tuple[Bundle, ...]
    node_ids: tuple[str, ...]  # a task id, or a bundle id for merged members
    node_of: dict[str, int]  # task id or bundle id -> node
    duration: tuple[int, ...]
    workday: tuple[bool, ...]
    preds: tuple[tuple[tuple[int, bool, int], ...], ...]  # (node, is_ss, lag)
    order: tuple[int, ...]  # topological, ties by file order
    span: int = field(default=0)  # sum of durations + lags: bounds any schedule's length
    legal: tuple[bool, ...] = ()  # per node: a day-unit legal period (finish rolls to a workday)

    @classmethod
    def build(cls, tasks: Sequence[Task], bundles: Sequence[Bundle] = ()) -> Network:
        """Validate ids, links and bundles, merge bundles, and order the nodes topologically."""
        tasks, bundles = tuple(tasks), tuple(bundles)
        if not tasks:
            raise ScheduleError("the plan has no tasks", field="tasks")
        if bundles:
            by_id = _index_tasks(tasks)
            member_of = _index_bundles(bundles, by_id)
            node_ids, node_of, duration, workday, legal = _bundled_nodes(tasks, bundles, member_of)
            preds, lags, in_file_order = _bundled_preds(tasks, node_of, member_of)
        else:  # the common case, one node per task: every step fused into a few loops
            member_of = {}
            node_ids = [t.id for t in tasks]
            node_of = dict(zip(node_ids, range(len(node_ids)), strict=True))
            duration = [t.duration for t in tasks]
            if len(node_of) < len(tasks) or min(duration) < 0:
                _index_tasks(tasks)  # raises the precise error
            workday = [t.unit == "workday" for t in tasks]
            legal = [t.legal and t.unit == "day" for t in tasks]
            preds, lags, in_file_order = _preds(tasks, node_of)
        # When every prerequisite comes earlier in the file, file order is the answer of Kahn's
        # algorithm with file-order ties (the smallest topological order), so skip it.
        n = len(node_ids)
        order = tuple(range(n)) if in_file_order else _topological(node_ids, preds, member_of)
        return cls(
            tasks,
            bundles,
            tuple(node_ids),
            node_of,
            tuple(duration),
            tuple(workday),
            tuple(preds),
            order,
            sum(duration) + n + lags,
            tuple(legal) if any(legal) else (),
        )

    def ancestors(self, node: int) -> set[int]:
        """`node` and every node it transitively depends on."""
        seen, stack = {node}, [node]
        while stack:
            for p, _, _ in self.preds[stack.pop()]:
                if p not in seen:
                    seen.add(p)
                    stack.append(p)
        return seen


def _preds(tasks: tuple[Task, ...], node_of: dict[str, int]):
    """Per task (= node): its (node, is_ss, lag) prerequisites; also the lag sum and whether
    every prerequisite comes earlier in the file."""
    preds: list[tuple[tuple[int, bool, int], ...]] = []
    get = node_of.get
    lags, in_file_order = 0, True
    for i, t in enumerate(tasks):
        after = t.after
        if not after:
            preds.append(())
            continue
        mine = []
        for link in after:
            p, lag = get(link.task), link.lag
            if p is None or lag < 0:
                raise _link_error(t, link)
            if p >= i:
                in_file_order = False
            if lag:
                lags += lag
            mine.append((p, link.type == "SS", lag))
        preds.append(tuple(mine))
    return preds, lags, in_file_order


def _bundled_preds(tasks: tuple[Task, ...], node_of: dict[str, int], member_of: dict[str, str]):
    """`_preds` when bundles merge several tasks into one node."""
    preds: list[list[tuple[int, bool, int]]] = [[] for _ in range(max(node_of.values()) + 1)]
    lags, in_file_order = 0, True
    get = node_of.get
    for t in tasks:
        if not t.after:
            continue
        i = node_of[t.id]
        mine = preds[i]
        for link in t.after:
            p, lag = get(link.task), link.lag
            if p is None or lag < 0:
                raise _link_error(t, link)
            if p == i and link.task in member_of:
                continue  # a link inside a bundle is handled by the bundle itself
            mine.append((p, link.type == "SS", lag))
            lags += lag
            in_file_order = in_file_order and p < i
    return [tuple(p) for p in preds], lags, in_file_order


def _index_tasks(tasks: tuple[Task, ...]) -> set[str]:
    """The task ids; raises on a duplicate id or a negative duration."""
    ids = {t.id for t in tasks}
    if len(ids) < len(tasks):
        seen: set[str] = set()
        for t in tasks:
            if t.id in seen:
                raise ScheduleError(f'task "{t.id}": duplicate id', task=t.id, field="id")
            seen.add(t.id)
    if min(t.duration for t in tasks) < 0:
        t = next(t for t in tasks if t.duration < 0)
        raise ScheduleError(
            f'task "{t.id}": duration must be 0 or more, got {t.duration}',
            task=t.id,
            field="duration",
        )
    return ids


def _link_error(t: Task, link: Link) -> ScheduleError:
    if link.lag < 0:
        message = f'task "{t.id}": lag after "{link.task}" must be 0 or more, got {link.lag}'
    else:
        message = f'task "{t.id}": unknown prerequisite "{link.task}"'
    return ScheduleError(message, task=t.id, field="after")


def _index_bundles(bundles: tuple[Bundle, ...], by_id: set[str]) -> dict[str, str]:
    member_of: dict[str, str] = {}
    seen: set[str] = set()
    for b in bundles:
        if b.id in by_id or b.id in seen:
            raise ScheduleError(f'bundle "{b.id}": duplicate id', task=b.id, field="id")
        seen.add(b.id)
        if b.duration < 0:
            raise ScheduleError(
                f'bundle "{b.id}": duration must be 0 or more, got {b.duration}',
                task=b.id,
                field="duration",
            )
        if not b.tasks:
            raise ScheduleError(f'bundle "{b.id}": has no tasks', task=b.id, field="tasks")
        for m in b.tasks:
            if m not in by_id:
                raise ScheduleError(
                    f'bundle "{b.id}": unknown task "{m}"', task=b.id, field="tasks"
                )
            if m in member_of and member_of[m] != b.id:
                raise ScheduleError(
                    f'task "{m}" is in two bundles: "{member_of[m]}" and "{b.id}"',
                    task=m,
                    field="tasks",
                )
            member_of[m] = b.id
    return member_of


def _bundled_nodes(tasks, bundles, member_of):
    """Nodes in file order; a bundle takes the place of its first member."""
    bundle_by_id = {b.id: b for b in bundles}
    node_ids: list[str] = []
    node_of: dict[str, int] = {}
    duration: list[int] = []
    workday: list[bool] = []
    legal: list[bool] = []
    for t in tasks:
        owner = member_of.get(t.id)
        if owner is None:
            node_of[t.id] = len(node_ids)
            node_ids.append(t.id)
            duration.append(t.duration)
            workday.append(t.unit == Unit.WORKDAY)
            legal.append(t.legal and t.unit == Unit.DAY)
        elif owner in node_of:
            node_of[t.id] = node_of[owner]
        else:
            b = bundle_by_id[owner]
            node_of[t.id] = node_of[owner] = len(node_ids)
            node_ids.append(owner)
            duration.append(b.duration)
            workday.append(b.unit == Unit.WORKDAY)
            legal.append(b.legal and b.unit == Unit.DAY)
    return node_ids, node_of, duration, workday, legal


def _topological(node_ids, preds, member_of) -> tuple[int, ...]:
    """Kahn's algorithm with a heap, so ties keep file order; a cycle raises ScheduleError."""
    succs: list[list[int]] = [[] for _ in node_ids]
    for i, mine in enumerate(preds):
        for p, _, _ in mine:
            succs[p].append(i)
    indegree = [len(p) for p in preds]
    heap = [i for i, n in enumerate(indegree) if n == 0]
    order: list[int] = []
    while heap:
        i = heapq.heappop(heap)
        order.append(i)
        for s in succs[i]:
            indegree[s] -= 1
            if indegree[s] == 0:
                heapq.heappush(heap, s)
    if len(order) < len(node_ids):
        cycle = _find_cycle(preds, {i for i, n in enumerate(indegree) if n > 0})
        names = [node_ids[i] for i in cycle]
        bundled = sorted(set(names) & set(member_of.values()))
        via = f' (bundle "{bundled[0]}" merges its tasks)' if bundled else ""
        raise ScheduleError(
            "cycle: " + " → ".join([*names, names[0]]) + via, task=names[0], field="after"
        )
    return tuple(order)


def _find_cycle(preds, stuck: set[int]) -> list[int]:
    """Walk predecessors inside the stuck set until a node repeats: that loop is a cycle."""
    node = min(stuck)
    path: list[int] = []
    position: dict[int, int] = {}
    while node not in position:
        position[node] = len(path)
        path.append(node)
        node = next(p for p, _, _ in preds[node] if p in stuck)
    loop = path[position[node] :]
    loop.reverse()  # walked backwards along prerequisites; report in dependency order
    first = loop.index(min(loop))  # start from the earliest in the file: a stable message
    return loop[first:] + loop[:first]
