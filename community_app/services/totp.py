"""Time-based one-time codes (TOTP, RFC 6238: 6 digits, 30 s steps), the second factor of
staff and admin accounts, and the QR code an authenticator app (微信小程序「腾讯身份验证器」,
Google Authenticator, Microsoft Authenticator ...) scans to enrol. Pure functions, no database."""

from __future__ import annotations

import re
import time

import pyotp
import segno

ISSUER = "邻里通"
STEP_SECONDS = 30
_SECRET_RE = re.compile(r"^[A-Z2-7]{16,64}$")


def new_secret() -> str:
    return pyotp.random_base32(32)


def valid_secret(secret: str) -> bool:
    return isinstance(secret, str) and bool(_SECRET_RE.match(secret))


def provisioning_uri(secret: str, account_label: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account_label, issuer_name=ISSUER)


def qr_svg_data_uri(uri: str) -> str:
    """The otpauth:// URI as a QR code, an SVG data URI for an <img>."""
    return segno.make(uri, error="m").svg_data_uri(scale=6, border=2, dark="#1a1d1b")


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // STEP_SECONDS)


def matching_step(secret: str, code: str, *, now: float | None = None, window: int = 1) -> int | None:
    """The time step whose code ``code`` is (this step or ``window`` steps either side, for
    a phone clock a little off), or None. The caller refuses a step already used."""
    digits = re.sub(r"\s", "", code or "")
    if not valid_secret(secret) or not re.fullmatch(r"\d{6}", digits):
        return None
    totp = pyotp.TOTP(secret)
    step = current_step(now)
    for candidate in range(step - window, step + window + 1):
        if pyotp.utils.strings_equal(totp.at(candidate * STEP_SECONDS), digits):
            return candidate
    return None


def group(secret: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
