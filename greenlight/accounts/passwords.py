"""The password policy of 等保 level 3: at least 8 characters, 3 of the 4 character classes,
not the user name, not a common password. Every message names the field and the reason."""

from __future__ import annotations

import string

from django.contrib.auth import password_validation as django_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

CLASSES = (
    ("lower", lambda ch: ch in string.ascii_lowercase),
    ("upper", lambda ch: ch in string.ascii_uppercase),
    ("digit", lambda ch: ch.isdigit()),
    ("symbol", lambda ch: not ch.isalnum()),
)


class MinimumLengthValidator(django_validation.MinimumLengthValidator):
    """At least `min_length` characters."""

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(self.get_error_message(), code="password_too_short")

    def get_error_message(self):
        return ngettext(
            "Password: it must have at least %(n)d character.",
            "Password: it must have at least %(n)d characters.",
            self.min_length,
        ) % {"n": self.min_length}

    def get_help_text(self):
        return self.get_error_message()


class CharacterClassesValidator:
    """At least `classes` of: lower-case letters, capitals, digits, symbols."""

    def __init__(self, classes: int = 3):
        self.classes = classes

    def validate(self, password, user=None):
        found = sum(1 for _name, test in CLASSES if any(test(ch) for ch in password))
        if found < self.classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _(
            "Password: it must mix at least %(n)d of lower-case letters, capitals, digits and "
            "symbols."
        ) % {"n": self.classes}


class NotUsernameValidator:
    """Not the user name, forwards, backwards or in another case, nor containing it."""

    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").lower()
        if username and (username in password.lower() or username[::-1] in password.lower()):
            raise ValidationError(self.get_help_text(), code="password_is_username")

    def get_help_text(self):
        return _("Password: it must not contain the user name.")


class CommonPasswordValidator(django_validation.CommonPasswordValidator):
    """Not one of the 20,000 most common passwords (Django's list)."""

    def validate(self, password, user=None):
        if password.lower().strip() in self.passwords:
            raise ValidationError(self.get_help_text(), code="password_too_common")

    def get_help_text(self):
        return _("Password: it is one of the most common passwords.")
