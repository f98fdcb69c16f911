"""The charts have no words of their own: everything a chart writes comes from the labels."""

import dataclasses
import re
import unicodedata
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from greenlight.charts import bpmn, coordination, draw, views
from greenlight.charts.views import MatterInfo
from greenlight.engine.calendar import HOLIDAY_NAMES_ZH
from greenlight.engine.network import Actual, Bundle, Link, LinkType, Target, Task
from greenlight.engine.schedule import schedule

from .helpers import BPMN_LABELS, CN, LABELS, VIEW_LABELS


def mute(labels):
    """The same labels with every word replaced by §, keeping the {placeholders}."""
    values = {}
    for f in dataclasses.fields(labels):
        value = getattr(labels, f.name)
        if isinstance(value, str):
            values[f.name] = "§" + "§".join(re.findall(r"\{\w+\}", value)) + "§"
    return dataclasses.replace(labels, **values)


WORDS = dataclasses.replace(
    mute(LABELS), holiday_names={name: "§" for name in HOLIDAY_NAMES_ZH.values()}
)
VIEW_WORDS, BPMN_WORDS = mute(VIEW_LABELS), mute(BPMN_LABELS)

# Ids, names and departments are digits: any letter in the output is a word of the charts'.
TASKS = [
    Task("1", 5, after=(), department="10"),
    Task("2", 8, after=(Link("1"),), department="20"),
    Task("3", 3, after=(Link("1", LinkType.SS, 2),), department=""),
    Task("4", 4, after=(Link("1"),), department="30"),
    Task("5", 4, after=(Link("1"),), department="30"),
    Task("6", 6, after=(Link("2"), Link("3"), Link("4"), Link("5")), department="20"),
]
BUNDLES = [Bundle("7", ("4", "5"), 5, name="7")]
INFO = {
    t.id: MatterInfo(stage="1" if k < 4 else "2", statutory="20", materials=("8", "9"), done=k == 0)
    for k, t in enumerate(TASKS)
}
STAGES = [("1", "1"), ("2", "2")]
START, TODAY = date(2026, 9, 21), date(2026, 10, 12)
RESULT = schedule(
    TASKS,
    start=START,
    calendar=CN,
    bundles=BUNDLES,
    actuals={"1": Actual(date(2026, 9, 24))},
    as_of=TODAY,
    target=Target("6", date(2026, 10, 20)),
)


def texts(root) -> list[str]:
    """What a reader sees: SVG <text> and <title>; BPMN names and documentation."""
    out = []
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag in ("text", "title", "documentation"):
            out.append(el.text or "")
        out.append(el.get("name", ""))
    return out


def drawn() -> dict[str, str]:
    common = {"title": "0", "subtitle": "0", "labels": WORDS}
    return {
        "combined": draw.render(
            TASKS,
            RESULT,
            calendar=CN,
            today=TODAY,
            actuals={"1": Actual(date(2026, 9, 24))},
            **common,
        ),  # fmt: skip
        "service": views.service_svg(
            TASKS, RESULT, INFO, stages=STAGES, words=VIEW_WORDS, **common
        ),
        "push": views.push_svg(TASKS, RESULT, INFO, calendar=CN, words=VIEW_WORDS, **common),
        "coordination": coordination.coordination_svg(
            TASKS,
            RESULT,
            INFO,
            calendar=CN,
            stages=STAGES,
            today=TODAY,
            words=VIEW_WORDS,
            bundles=[("7", "7", ("4", "5"))],
            **common,
        ),  # fmt: skip
        "bpmn": bpmn.to_bpmn(TASKS, RESULT, name="0", labels=BPMN_WORDS, bundles=BUNDLES),
    }


@pytest.mark.parametrize("view", ["combined", "service", "push", "coordination", "bpmn"])
def test_every_word_comes_from_the_labels(view):
    # given labels whose words are all § / when a plan is drawn
    doc = drawn()[view]
    # then the labels were used (§ shows) and no letter of any script is left, nor any
    # full-width (Chinese) punctuation
    text = "".join(texts(ET.fromstring(doc.encode())))
    assert "§" in text
    own = sorted({ch for ch in text if ch.isalpha() or unicodedata.east_asian_width(ch) in "WF"})
    assert not own, f"{view} writes words of its own: {own}"


def test_the_plan_exercises_every_kind_of_mark():
    # the muted drawing above only proves something if the plan draws each kind of word
    svg = drawn()
    assert 'class="slip"' in svg["combined"] and 'class="today"' in svg["combined"]
    assert 'class="makeup"' in svg["combined"] and 'class="holiday-name"' in svg["combined"]
    assert 'class="meeting-label"' in svg["coordination"]
    assert 'class="bundle-label"' in svg["coordination"]
    assert RESULT.target is not None and RESULT.forecast is not None
    assert "documentation" in svg["bpmn"]


def test_provisional_holidays_are_marked_in_the_callers_words():
    # given a plan over 春节 2027, a year without the State Council's notice (provisional)
    result = schedule(TASKS, start=date(2027, 1, 25), calendar=CN)
    # when drawn with muted words
    svg = draw.render(TASKS, result, calendar=CN, title="0", subtitle="0", labels=WORDS)
    # then the provisional days, their names and the legend are marked, all in the labels' words
    assert 'class="off holiday provisional"' in svg
    assert 'class="holiday-name provisional"' in svg
    text = "".join(texts(ET.fromstring(svg.encode())))
    own = sorted({ch for ch in text if ch.isalpha() or unicodedata.east_asian_width(ch) in "WF"})
    assert not own, f"the provisional marks write words of their own: {own}"
