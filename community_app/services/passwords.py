"""Password hashing and the password rules (OWASP ASVS 5: length, no composition rules,
no truncation, refuse the most common passwords).

argon2id through passlib's CryptContext; bcrypt hashes from an older system still verify
and are flagged for re-hashing. Hashing costs ~150 ms of CPU by design: callers on the
event loop must run these functions in a thread.
"""

from __future__ import annotations

import os
import unicodedata
from functools import cache
from importlib import resources

from passlib.context import CryptContext

from community_app.services.errors import ValidationError

MIN_LENGTH = 8
MAX_LENGTH = 256  # generous (ASVS asks that 64+ be allowed); bounds hashing work per request


@cache
def _context() -> CryptContext:
    return CryptContext(
        schemes=["argon2", "bcrypt"],
        deprecated="auto",
        argon2__type="ID",
        argon2__time_cost=int(os.environ.get("ARGON2_TIME_COST", "3")),
        argon2__memory_cost=int(os.environ.get("ARGON2_MEMORY_KIB", "65536")),
        argon2__parallelism=1,
    )


@cache
def _dummy_hash() -> str:
    return _context().hash("dummy password that never matches anything 7f3a")


@cache
def common_passwords() -> frozenset[str]:
    text = resources.files("community_app.data").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def check_password_rules(password: str, *, mobile: str = "", field: str = "password") -> None:
    """Raise ValidationError (with the field) when the password breaks a rule; each rule
    has its own reason, so the person knows what to change."""
    if len(password) < MIN_LENGTH:
        raise ValidationError("auth.error.password_short", field=field, n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        raise ValidationError("auth.error.password_long", field=field, n=MAX_LENGTH)
    if mobile and (mobile in password or mobile in unicodedata.normalize("NFKC", password)):
        raise ValidationError("password.error.has_mobile", field=field)
    if len(set(password)) == 1:
        raise ValidationError("password.error.one_char", field=field)
    if password.lower() in common_passwords():
        raise ValidationError("auth.error.password_common", field=field)


def hash_password(password: str) -> str:
    return _context().hash(password)


def verify_password(password: str, password_hash: str | None) -> tuple[bool, str | None]:
    """(ok, new_hash): new_hash is set when the stored hash should be upgraded.

    With no stored hash, a dummy hash is verified anyway so a missing account takes as
    long as a wrong password.
    """
    ctx = _context()
    if not password_hash:
        ctx.verify(password, _dummy_hash())
        return False, None
    try:
        ok, new_hash = ctx.verify_and_update(password, password_hash)
    except (ValueError, TypeError):
        return False, None
    return ok, new_hash
