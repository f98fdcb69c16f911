"""The long select writes the same markup as Django's select (whitespace aside)."""

import re

import pytest
from django import forms

from greenlight.accounts.models import Department
from greenlight.kernel.widgets import LongSelect


def _same(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


class Filters(forms.Form):
    department = forms.ModelChoiceField(
        queryset=Department.objects.order_by("pk"), required=False, empty_label="全部"
    )
    region = forms.ChoiceField(choices=[("", "全部"), ("440306", "— 宝安区 <&>")], required=False)


class Plain(Filters):
    pass


class Long(Filters):
    department = forms.ModelChoiceField(
        queryset=Department.objects.order_by("pk"),
        required=False,
        empty_label="全部",
        widget=LongSelect,
    )
    region = forms.ChoiceField(
        choices=[("", "全部"), ("440306", "— 宝安区 <&>")], required=False, widget=LongSelect
    )


@pytest.mark.parametrize("data", [None, {"department": "", "region": ""}, "chosen"])
def test_long_select_writes_what_djangos_select_writes(world, data):
    if data == "chosen":
        data = {"department": str(world.water.pk), "region": "440306"}
    plain, long = Plain(data), Long(data)
    for name in ("department", "region"):
        ours = _same(str(long[name]))
        assert ours == _same(str(plain[name]))
        assert ours.count("<option") == len(plain.fields[name].choices)
    if data and data["region"]:
        assert f'<option value="{world.water.pk}" selected>' in str(long["department"])
        assert "— 宝安区 &lt;&amp;&gt;" in str(long["region"])


def test_grouped_choices_fall_back_to_djangos_select():
    field = forms.ChoiceField(choices=[("区", [("1", "宝安"), ("2", "南山")])], widget=LongSelect)
    html = field.widget.render("g", "2")
    assert '<optgroup label="区">' in html and '<option value="2" selected>' in html
