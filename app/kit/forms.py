"""Page forms: the posted fields as one `FormDep`, parsed into a schema, and errors turned into field messages."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError

from app.errors import AppError, PayloadTooLarge, UnsupportedMediaType, ValidationFailed
from app.i18n import gettext as _

M = TypeVar("M", bound=BaseModel)


class FormData(dict[str, str]):
    """A posted form's text fields (the last value of each name); `getlist` gives every value (checkboxes)."""

    def __init__(self, pairs: list[tuple[str, str]] | None = None) -> None:
        pairs = pairs or []
        super().__init__(pairs)
        self._lists: dict[str, list[str]] = {}
        for name, value in pairs:
            self._lists.setdefault(name, []).append(value)

    def getlist(self, name: str) -> list[str]:
        """Every value posted under `name`, in order (an empty list when there is none)."""
        return list(self._lists.get(name, []))


async def form_data(request: Request) -> FormData:
    """The posted form's text fields (a file field is read by its own handler)."""
    form = await request.form()
    return FormData([(name, value) for name, value in form.multi_items() if isinstance(value, str)])


FormDep = Annotated[FormData, Depends(form_data)]


def form_errors(
    error: AppError, *, file_field: str | None = None, renamed: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The messages a form shows for `error`: one per field, or one for the whole form under "form".

    `file_field` receives the refusals of an upload (too large, wrong type); `renamed` maps a service's field names
    to the form's ("form" too: where a message for the whole form goes)."""
    renamed = renamed or {}
    if isinstance(error, ValidationFailed) and error.errors:
        return {renamed.get(name, name): message for name, message in error.errors.items()}
    if file_field and isinstance(error, PayloadTooLarge | UnsupportedMediaType):
        return {file_field: error.detail}
    field = error.extra.get("field")
    name = str(field) if field else "form"
    return {renamed.get(name, name): error.detail}


def form_message(error: AppError) -> str:
    """One message for a form with a single field: the field's message, or the error's detail."""
    if isinstance(error, ValidationFailed) and error.errors:
        return next(iter(error.errors.values()))
    return error.detail


def readable_message(error_type: str, context: Mapping[str, Any]) -> str:
    """A translated message for one of Pydantic's error types (its own messages are English only)."""
    if error_type in {"missing", "string_too_short"} and context.get("min_length", 1) <= 1:
        return _("This field is required.")
    if error_type == "string_too_short":
        return _("Use at least %(count)s characters.") % {"count": context["min_length"]}
    if error_type == "string_too_long":
        return _("Use at most %(count)s characters.") % {"count": context["max_length"]}
    if error_type in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if error_type in {"greater_than_equal", "greater_than"}:
        return _("Enter a number of at least %(limit)s.") % {"limit": context.get("ge", context.get("gt"))}
    if error_type in {"less_than_equal", "less_than"}:
        return _("Enter a number of at most %(limit)s.") % {"limit": context.get("le", context.get("lt"))}
    if error_type in {"enum", "literal_error"}:
        return _("Choose one of the options.")
    if error_type.startswith(("datetime", "date")):
        return _("Give the date and time, such as 2027-03-01 12:00.")
    return _("Check this field.")


def parse_form(model: type[M], data: Mapping[str, Any], messages: Mapping[str, str] | None = None) -> M:
    """`data` (a page form) as `model`; raises ValidationFailed with one message per field."""
    try:
        return model.model_validate(dict(data))
    except ValidationError as error:
        errors: dict[str, str] = {}
        for item in error.errors():
            field = str(item["loc"][0]) if item["loc"] else "form"
            if field in errors:
                continue
            if messages and field in messages:
                errors[field] = messages[field]
            elif item["type"] == "value_error":
                errors[field] = str(item["ctx"]["error"]) if "ctx" in item else item["msg"]
            else:
                errors[field] = readable_message(item["type"], item.get("ctx") or {})
        raise ValidationFailed(_("Please correct the fields marked below."), errors=errors) from error


_WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")
_AMOUNT = re.compile(r"([0-9]{1,13})(?:[.,]([0-9]{1,2}))?")


def whole_number(text: str | None, *, max_digits: int = 9) -> int | None:
    """A form field as a whole number of at most `max_digits` ASCII digits, else None ("²" and "٣" are digits to
    `str.isdigit`, but `int` refuses the first)."""
    typed = (text or "").strip()
    if len(typed) > max_digits or not _WHOLE_NUMBER.fullmatch(typed):
        return None
    return int(typed)


def amount_in_minor_units(text: str | None) -> int | None:
    """A sum of money typed in whole units with up to two decimals ("16 666,67" or "25000") as minor units, else
    None."""
    typed = (text or "").replace(" ", "").replace("\u00a0", "").strip()
    found = _AMOUNT.fullmatch(typed)
    if found is None:
        return None
    whole, cents = found.group(1), (found.group(2) or "").ljust(2, "0")
    return int(whole) * 100 + int(cents)


def refuse_unreadable(message: str, errors: Mapping[str, str]) -> None:
    """Refuse (422) a form whose fields could not even be read (a word where a number goes), with a message per
    field, before any service is asked; nothing when `errors` is empty."""
    if errors:
        raise ValidationFailed(message, errors=dict(errors))
