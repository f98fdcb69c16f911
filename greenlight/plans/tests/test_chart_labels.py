"""The charts' words as the plans app builds them: translated for Chinese pages."""

import dataclasses
import re

from django.utils import translation

from greenlight.plans import charting

NOTATION = re.compile(r"\{\w+\}|SS|max")  # placeholders and notation kept in every language


def strings(labels) -> dict[str, str]:
    return {
        f.name: getattr(labels, f.name)
        for f in dataclasses.fields(labels)
        if isinstance(getattr(labels, f.name), str)
    }


def test_every_chart_word_is_translated_into_chinese():
    # given the Chinese pages / when the labels are built
    with translation.override("zh-hans"):
        words = {
            **strings(charting.labels()),
            **{f"view.{k}": v for k, v in strings(charting.view_labels()).items()},
            **{f"bpmn.{k}": v for k, v in strings(charting.bpmn_labels()).items()},
        }
        names = charting.labels().holiday_names
    # then none is left in English
    english = {k: v for k, v in words.items() if re.search("[A-Za-z]", NOTATION.sub("", v))}
    assert not english
    # and the punctuation is Chinese, the holidays keep their Chinese names
    assert words["target_verdict"] == "{target}，{verdict}"
    assert words["view.field"] == "{label}：{value}" and words["view.list_sep"] == "、"
    assert names["国庆节"] == "国庆节"


def test_english_pages_name_the_holidays_in_english():
    with translation.override("en"):
        labels = charting.labels()
    assert labels.holiday_names["国庆节"] == "National Day"
    assert labels.target_verdict == "{target}, {verdict}"
