"""Domain errors. Each carries an i18n key (and format values) and, for form errors,
the field it belongs to so the UI can show it next to that field."""

from __future__ import annotations


class DomainError(Exception):
    key = "error.generic"

    def __init__(self, key: str | None = None, *, field: str | None = None, **params):
        self.key = key or self.key
        self.field = field
        self.params = params
        super().__init__(self.key)

    def message(self, locale: str = "zh_CN") -> str:
        from community_app.i18n import t

        return t(self.key, locale, **self.params)


class ValidationError(DomainError):
    key = "error.invalid"


class NotAllowed(DomainError):
    """The actor may not do this (wrong role, other community, other resident's data)."""

    key = "error.not_allowed"


class NotFound(DomainError):
    key = "error.not_found"


class Conflict(DomainError):
    """The state changed under us or the rule forbids it now (full, duplicate, too late)."""

    key = "error.conflict"


class AuthError(DomainError):
    key = "auth.error.bad_credentials"


class LockedOut(AuthError):
    key = "auth.error.locked"
