"""Forms of the identity pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class OtpForm(forms.Form):
    otp = forms.RegexField(
        label=_("One-time code"),
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={
            "required": _("One-time code: enter the 6 digits your authenticator app shows."),
            "invalid": _("One-time code: it has 6 digits."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        initial="cli",
        error_messages={"required": _("Token name: say what the token is for.")},
    )
