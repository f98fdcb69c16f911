"""The exchange's forms: a file to import, a project code to look up on the 投资 platform."""

from django import forms
from django.utils.translation import gettext_lazy as _

from greenlight.kernel.forms import EdgeChecks


class UploadForm(EdgeChecks, forms.Form):
    """A file of national tables: Excel (one sheet a table), CSV (one table) or JSON."""

    file = forms.FileField(label=_("exchange file (Excel, CSV or JSON)"))


class LookupForm(EdgeChecks, forms.Form):
    """The 项目代码 to fetch from the investment platform."""

    code = forms.CharField(label=_("project code"), max_length=24)
