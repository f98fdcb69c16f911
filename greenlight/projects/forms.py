"""Project forms and the list's filter form."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenlight.accounts import regions
from greenlight.accounts.models import Department, Organization, Subdistrict
from greenlight.catalog.choices import Category
from greenlight.kernel.forms import EdgeChecks
from greenlight.kernel.roles import Role
from greenlight.kernel.widgets import LongSelect

from . import matters
from .choices import ConstructionNature, FundingSource, Industry, Lifecycle
from .codes import make_project_code, validate_project_code
from .phones import normalize_phone

PICK = [("", _("— choose —"))]
OWNER_OPTIONS = 100  # owners listed in the picker before the user types


def owners_for(user, region):
    """The owners a user may register a project for in `region`."""
    return Organization.objects.visible_to(user).filter(region=region).order_by("name")


def search_owners(user, region, q: str, limit: int = 50):
    """Owners whose name or credit code contains `q`, for the picker."""
    qs = owners_for(user, region)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(credit_code__icontains=q))
    return qs[:limit]


class OwnerField(forms.CharField):
    """The project owner, typed or picked from a list: its name or its credit code."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, max_length=200, **kwargs)
        self.queryset = Organization.objects.none()

    def prepare_value(self, value):
        if isinstance(value, Organization):
            return value.name
        if isinstance(value, int):
            org = self.queryset.filter(pk=value).first()
            return org.name if org else ""
        return value

    def clean(self, value):
        text = super().clean(value).strip()
        if not text:
            return None
        found = list(self.queryset.filter(Q(credit_code=text.upper()) | Q(name=text))[:2])
        if not found and text.isdigit():
            found = list(self.queryset.filter(pk=int(text)))
        if len(found) == 1:
            return found[0]
        if found:
            raise forms.ValidationError(
                _("several owners are called “%(name)s”: enter the credit code"),
                params={"name": text},
            )
        raise forms.ValidationError(
            _("no owner “%(name)s” in your region: pick one from the list"),
            params={"name": text},
        )


class DateInput(forms.DateInput):
    """A browser date picker; its value must be ISO (YYYY-MM-DD), whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ProjectForm(EdgeChecks, forms.Form):
    """Register or edit a project; the service re-validates, so API, import and page agree."""

    code = forms.CharField(label=_("project code"), max_length=24)
    name = forms.CharField(label=_("name"), max_length=200)
    owner = OwnerField(label=_("owner"))
    subdistrict = forms.ModelChoiceField(
        label=_("subdistrict"), queryset=Subdistrict.objects.none(), required=False
    )
    category = forms.ChoiceField(label=_("category"), choices=Category.choices)
    industry = forms.ChoiceField(label=_("industry"), choices=Industry.choices)
    construction_nature = forms.ChoiceField(
        label=_("nature of construction"), choices=PICK + ConstructionNature.choices
    )
    location = forms.CharField(
        label=_("construction site"),
        max_length=200,
        help_text=_("district, subdistrict and road, e.g. 深圳市宝安区沙井街道新桥东片区"),
    )
    scale_content = forms.CharField(
        label=_("scale and content of construction"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("land and floor area, buildings, main works and capacity"),
    )
    funding_source = forms.ChoiceField(
        label=_("funding source"), choices=PICK + FundingSource.choices
    )
    total_investment = forms.DecimalField(
        label=_("total investment (10,000 yuan)"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
    )
    land_area = forms.DecimalField(
        label=_("land area (m²)"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
    )
    contact_name = forms.CharField(label=_("project contact"), max_length=50, required=False)
    contact_phone = forms.CharField(
        label=_("contact phone"),
        max_length=30,
        required=False,
        help_text=_("mobile (13812345678) or landline with area code (0755-29991234)"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    optional_matters = forms.MultipleChoiceField(
        label=_("optional matters"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The template's required matters open on registration; tick the optional ones "
            "this site needs too."
        ),
    )
    stage = forms.ChoiceField(label=_("lifecycle stage"), choices=Lifecycle.choices)
    is_major = forms.BooleanField(label=_("major project"), required=False)
    land_acquired_on = forms.DateField(label=_("land acquired"), required=False, widget=DateInput)
    planned_start = forms.DateField(
        label=_("planned construction start"), required=False, widget=DateInput
    )
    actual_start = forms.DateField(
        label=_("actual construction start"), required=False, widget=DateInput
    )
    completed_on = forms.DateField(label=_("completion"), required=False, widget=DateInput)
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    stage_override_reason = forms.CharField(
        label=_("reason for overriding the stage gate"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when the stage's facts are missing (e.g. the start before the permit)."),
    )

    # The page shows the fields in these groups, in this order.
    GROUPS = (
        (_("Basic information"), ("code", "name", "owner", "subdistrict", "category",
                                  "industry", "stage", "is_major")),
        (_("Construction (national project record)"), ("construction_nature", "funding_source",
                                  "total_investment", "land_area", "location", "scale_content")),
        (_("Contact"), ("contact_name", "contact_phone")),
        (_("Approval matters"), ("optional_matters",)),
        (_("Key dates"), ("land_acquired_on", "planned_start", "actual_start", "completed_on")),
        (_("Other"), ("description", "stage_override_reason")),
    )  # fmt: skip

    def __init__(self, *args, user, region, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        if user.role != Role.COORDINATOR:
            del self.fields["stage_override_reason"]
        if editing:
            del self.fields["optional_matters"]  # matters change on the project page
        if user.role == Role.COMPANY:
            del self.fields["owner"]
            self.fields.pop("optional_matters", None)  # the office chooses the matters
            for field in ("stage", "is_major") + (("code",) if editing else ()):
                del self.fields[field]
        else:
            self.fields["owner"].queryset = owners_for(user, region)
            self.fields["owner"].widget.attrs.update(
                {
                    "list": "owner-options",
                    "autocomplete": "off",
                    "placeholder": _("type part of the name or the credit code"),
                    "hx-get": reverse("projects:owner_options"),
                    "hx-trigger": "input changed delay:250ms",
                    "hx-target": "#owner-options",
                    "hx-swap": "innerHTML",
                }
            )
        self.fields["subdistrict"].queryset = Subdistrict.objects.filter(region=region)
        if "code" in self.fields:
            self.fields["code"].help_text = code_help(region)
            self.fields["code"].widget.attrs.update(
                {"placeholder": "YYMM-RRRRRR-DD-TT-NNNNNC", "class": "mono", "spellcheck": "false"}
            )
        if "optional_matters" in self.fields:
            self.fields["optional_matters"].choices = optional_choices(self.chosen_category())
            self.fields["category"].widget.attrs.update(
                {
                    "hx-get": reverse("projects:optional_matters"),
                    "hx-trigger": "change",
                    "hx-target": "#optional-matters",
                    "hx-swap": "innerHTML",
                }
            )

    def chosen_category(self) -> str:
        """The category the form is about: the posted one, else the initial, else the first."""
        if self.is_bound and self.data.get("category") in Category.values:
            return self.data["category"]
        return self.initial.get("category") or Category.values[0]

    def groups(self) -> list[tuple[str, list]]:
        """(title, bound fields) of each group that has a field for this user."""
        out = []
        for title, names in self.GROUPS:
            fields = [self[n] for n in names if n in self.fields]
            if fields:
                out.append((title, fields))
        return out

    def owner_options(self):
        """The first owners of the picker's list (typing narrows it through a search)."""
        return self.fields["owner"].queryset[:OWNER_OPTIONS] if "owner" in self.fields else []

    def clean_code(self):
        code = self.cleaned_data["code"].strip()  # only present where the user may set it
        reason = validate_project_code(code)
        if reason:
            raise forms.ValidationError(reason)
        return code

    def clean_contact_phone(self):
        value = self.cleaned_data["contact_phone"].strip()
        if not value:
            return ""
        number, reason = normalize_phone(value)
        if reason:
            raise forms.ValidationError(reason)
        return number

    def service_data(self) -> dict:
        """Cleaned values in the shape the service takes (ids for references)."""
        data = dict(self.cleaned_data)
        if "owner" in data:
            data["owner"] = data["owner"].pk if data["owner"] else None
        data["subdistrict"] = data["subdistrict"].pk if data.get("subdistrict") else None
        return data


def code_help(region) -> str:
    """The project code's format, with this region's division code in an example."""
    today = timezone.localdate()
    division = region.code if region is not None else "440306"
    example = make_project_code(
        year=today.year, month=today.month, region_code=division, sector=4, kind=1, serial=23456
    )
    return str(
        _(
            "GB/T 40058-2021: YYMM-RRRRRR-DD-TT-NNNNNC, e.g. %(example)s — YYMM year and month "
            "of filing, RRRRRR the division code (%(division)s), DD sector, TT project type, "
            "NNNNN serial, C check character. The older YYYY-RRRRRR-DD-TT-NNNNNN is accepted too."
        )
        % {"example": example, "division": division}
    )


def optional_choices(category: str) -> list[tuple[str, str]]:
    """(matter code, label) of the optional matters of the category's template."""
    items = matters.optional_items(matters.template_for(category))
    return [(i.matter.code, f"{i.matter.name}（{i.matter.code}）") for i in items]


class MatterAddForm(EdgeChecks, forms.Form):
    """Add a catalog matter to a project, with the reason (the coordinator, on the project page)."""

    matter = forms.ChoiceField(label=_("matter"))
    reason = forms.CharField(label=_("reason"), max_length=300)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter"].choices = PICK + [
            (m.code, f"{m.get_stage_display()} · {m.name}（{m.code}）")
            for m in matters.addable_matters(project)
        ]


class MatterRemoveForm(EdgeChecks, forms.Form):
    """Remove a matter not yet started, with the reason."""

    reason = forms.CharField(label=_("reason"), max_length=300)


class ProjectFilterForm(EdgeChecks, forms.Form):
    """Filters of the project list page."""

    q = forms.CharField(label=_("name or code"), required=False)
    stage = forms.ChoiceField(
        label=_("lifecycle stage"), required=False, choices=[("", _("all"))] + Lifecycle.choices
    )
    category = forms.ChoiceField(
        label=_("category"), required=False, choices=[("", _("all"))] + Category.choices
    )
    subdistrict = forms.ModelChoiceField(
        label=_("subdistrict"),
        queryset=Subdistrict.objects.none(),
        required=False,
        empty_label=_("all"),
        widget=LongSelect,
    )
    region = forms.ChoiceField(label=_("district"), required=False, widget=LongSelect)
    major = forms.ChoiceField(
        label=_("major project"),
        required=False,
        choices=[("", _("all")), ("1", _("major only")), ("0", _("others"))],
    )
    department = forms.ModelChoiceField(
        label=_("pending at department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("any"),
        widget=LongSelect,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subdistrict"].queryset = Subdistrict.objects.filter(region__in=_regions(user))
        self.fields["department"].queryset = Department.objects.visible_to(user)
        self.fields["region"].choices = [("", _("all"))] + regions.district_choices(user)
        self.many_districts = len(self.fields["region"].choices) > 2


def _regions(user):
    from greenlight.accounts.models import Region

    return Region.objects.visible_to(user)


class ImportForm(EdgeChecks, forms.Form):
    """The Excel file of projects to register."""

    file = forms.FileField(label=_("Excel file (.xlsx)"))
