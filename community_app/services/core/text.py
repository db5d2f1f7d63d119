"""Cleaning what people type into values or clear ``ValidationError`` s (never a silent cut)."""

from __future__ import annotations

from community_app.services.errors import ValidationError

__all__ = ["clean_int", "clean_text"]


def clean_text(raw, *, field: str, max_len: int, required_key: str | None = None,
               long_key: str = "error.text_long") -> str:
    """Stripped text; refused when required and empty, too long (``{n}`` in the message is the
    limit) or not text at all."""
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        raise ValidationError("error.invalid", field=field)
    value = raw.strip()
    if required_key and not value:
        raise ValidationError(required_key, field=field)
    if len(value) > max_len:  # ``{count}``: how many there are now, when the message says it
        raise ValidationError(long_key, field=field, n=max_len, count=len(value))
    return value


def clean_int(value, *, field: str, key: str = "error.invalid", lo: int | None = None, hi: int | None = None,
              required: bool = False) -> int | None:
    """An int in [lo, hi] from an int or a string of digits; None when empty and not required."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError(key, field=field)
        return None
    if isinstance(value, bool):
        raise ValidationError(key, field=field)
    if isinstance(value, str):
        text = value.strip()
        if not (text.lstrip("-").isdigit() and text.isascii()) or len(text) > 12:
            raise ValidationError(key, field=field)
        number = int(text)
    elif isinstance(value, int):
        number = value
    else:
        raise ValidationError(key, field=field)
    if (lo is not None and number < lo) or (hi is not None and number > hi):
        raise ValidationError(key, field=field)
    return number
