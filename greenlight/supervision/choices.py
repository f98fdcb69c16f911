"""The states of a supervision notice, as the list filters them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    OPEN = "open", _("awaiting reply")  # not answered (overdue ones too)
    OVERDUE = "overdue", _("reply overdue")
    ANSWERED = "answered", _("answered")
