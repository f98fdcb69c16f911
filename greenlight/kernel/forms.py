"""The edge rules of kernel/validation.py for every page form: mix `EdgeChecks` in first."""

from __future__ import annotations

from . import validation


class EdgeChecks:
    """Checks each cleaned value as the API does (text, dates, moments, numbers, ordered date
    pairs) and puts the reason on its field, before a ModelForm builds its instance."""

    def _post_clean(self):
        for name, value in list(self.cleaned_data.items()):
            values = value if isinstance(value, list | tuple) else [value]
            for item in values:
                reason = validation.problem(item, name=name)
                if reason:
                    self.add_error(name, reason)
                    break
        for name, reason in validation.order_problems(self.cleaned_data).items():
            if name in self.cleaned_data:
                self.add_error(name, reason)
        super()._post_clean()
