"""The API's edge: every operation's validated input checked by `kernel.validation`, and the
object of a write looked up before its body is judged.

`check_inputs` is added to the whole API (`NinjaAPI.add_decorator`, run after ninja has parsed
and typed the input): it walks path, query and body values, schemas and lists included, and
answers 422 naming the field, as ninja does for a type error. `found_first` marks a write whose
object must be visible before its body matters: a body error for an object the caller may not
see is then a 404, exactly as for a missing id.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Schema
from ninja.decorators import decorate_view
from ninja.errors import ValidationError

from . import validation

_LOOKUP = "_greenlight_found_first"


def problems(value, loc: tuple) -> list[dict]:
    """Errors (ninja's shape) for `value` and everything inside it, located from `loc`."""
    if isinstance(value, Schema):
        data = {name: getattr(value, name) for name in type(value).model_fields}
        return _mapping_problems(data, loc)
    if isinstance(value, dict):
        return _mapping_problems(value, loc)
    if isinstance(value, list | tuple | set | frozenset):
        return [p for i, item in enumerate(value) for p in problems(item, (*loc, i))]
    reason = validation.problem(value, name=str(loc[-1]) if loc else "")
    return [{"loc": loc, "msg": reason, "type": "edge"}] if reason else []


def _mapping_problems(data: dict, loc: tuple) -> list[dict]:
    found = [p for key, item in data.items() for p in problems(item, (*loc, str(key)))]
    found += [
        {"loc": (*loc, name), "msg": reason, "type": "edge"}
        for name, reason in validation.order_problems(data).items()
    ]
    return found


def check_inputs(view: Callable) -> Callable:
    """Refuse (422) an operation's input that `kernel.validation` refuses, naming the field."""

    @functools.wraps(view)
    def checked(request, *args, **values):
        errors = [
            p
            for name, value in values.items()
            for p in problems(value, () if isinstance(value, Schema) else (name,))
        ]
        if errors:
            raise ValidationError(errors)
        return view(request, *args, **values)

    return checked


def found_first(find: Callable) -> Callable:
    """Decorate an operation so that `find(request, **path_values)` (which raises 404 or 403)
    answers first when its input is refused: nothing about an object the caller may not see
    depends on the body sent."""

    def remember(run):
        @functools.wraps(run)
        def run_remembering(request, *args, **path_values):
            setattr(request, _LOOKUP, functools.partial(find, request, **path_values))
            return run(request, *args, **path_values)

        return run_remembering

    return decorate_view(remember)


def look_up_first(request) -> None:
    """Run the operation's `found_first` lookup, if it has one (raises when not visible)."""
    find = getattr(request, _LOOKUP, None)
    if find is None:
        return
    try:
        find()
    except (ValueError, TypeError, DjangoValidationError):
        return  # a path value of the wrong type: the validation error says so
