"""One typed settings object, read from the environment (and nothing else)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
_DEV_SECRET = "dev-insecure-secret-change-me"


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


@dataclass(frozen=True)
class Settings:
    env: str = field(default_factory=lambda: os.environ.get("APP_ENV", "dev"))
    database_url: str = field(
        default_factory=lambda: os.environ.get(
            "DATABASE_URL", f"sqlite:///{PROJECT_ROOT / 'data' / 'community.db'}"
        )
    )
    redis_url: str | None = field(default_factory=lambda: os.environ.get("REDIS_URL") or None)
    # Where one worker keeps tab state when REDIS_URL is unset: "memory" (default) or "disk".
    state_manager: str = field(default_factory=lambda: os.environ.get("STATE_MANAGER", "memory")
                               if os.environ.get("STATE_MANAGER", "memory") in ("memory", "disk") else "memory")
    secret_key: str = field(default_factory=lambda: os.environ.get("SECRET_KEY", _DEV_SECRET))
    # Public origin of the app (scheme://host:port); CORS is pinned to it.
    app_origin: str = field(
        default_factory=lambda: os.environ.get("APP_ORIGIN", "http://localhost:3000")
    )
    api_url: str = field(
        default_factory=lambda: os.environ.get("API_URL") or os.environ.get("APP_ORIGIN", "http://localhost:3000")
    )
    session_days: int = field(default_factory=lambda: _int("SESSION_DAYS", 30))
    # Lockout: after N failures in the window, the account (or client) waits.
    max_failed_per_account: int = field(default_factory=lambda: _int("LOCKOUT_ACCOUNT_FAILURES", 5))
    max_failed_per_client: int = field(default_factory=lambda: _int("LOCKOUT_CLIENT_FAILURES", 20))
    lockout_minutes: int = field(default_factory=lambda: _int("LOCKOUT_MINUTES", 15))
    timezone: str = field(default_factory=lambda: os.environ.get("APP_TIMEZONE", "Asia/Shanghai"))
    upload_dir: str = field(
        default_factory=lambda: os.environ.get("UPLOAD_DIR", str(PROJECT_ROOT / "data" / "uploads"))
    )
    sql_echo: bool = field(default_factory=lambda: _bool("SQL_ECHO", False))
    # Reverse proxies in front of the app that append to X-Forwarded-For (0: none, the header
    # is ignored). Sign-in limits and hand-overs key on the client address this gives.
    trusted_proxy_hops: int = field(default_factory=lambda: _int("TRUSTED_PROXY_HOPS", 0))
    # SMS (sign-up codes): "console" (the log) or "package.module:ClassName" (services/sms.py).
    sms_backend: str = field(default_factory=lambda: os.environ.get("SMS_BACKEND", "console"))
    # Tests only: the console backend also appends each message to this file.
    sms_outbox_file: str = field(default_factory=lambda: os.environ.get("SMS_OUTBOX_FILE", ""))
    # Staff and admins sign in with a second factor (TOTP). "off" only for unit tests of
    # other domains; production refuses it.
    staff_totp_required: bool = field(default_factory=lambda: os.environ.get("STAFF_TOTP", "required") != "off")
    staff_idle_minutes: int = field(default_factory=lambda: _int("STAFF_IDLE_MINUTES", 30))
    staff_session_hours: int = field(default_factory=lambda: _int("STAFF_SESSION_HOURS", 12))
    # The largest request body /_upload takes (photos: 3 x 5 MB and the form around them).
    upload_max_bytes: int = field(default_factory=lambda: _int("UPLOAD_MAX_MB", 16) * 1024 * 1024)

    @property
    def is_production(self) -> bool:
        return self.env == "prod"

    @property
    def backend_base(self) -> str:
        """"" when the backend is served from the app's own origin (production, one port),
        else the backend's URL (``make dev``: the frontend and backend on two ports)."""
        api = self.api_url.rstrip("/")
        return "" if api == self.app_origin.rstrip("/") else api

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def check(self) -> None:
        """Refuse to run production with the default secret (full-stack-fastapi-template), with
        sign-up codes going to the log, or without the staff second factor."""
        if not self.is_production:
            return
        if self.secret_key == _DEV_SECRET:
            raise RuntimeError(
                "SECRET_KEY must be set in production: "
                f"for example SECRET_KEY={secrets.token_urlsafe(32)}"
            )
        if self.sms_outbox_file:
            raise RuntimeError("SMS_OUTBOX_FILE is for tests only: unset it in production")
        if self.sms_backend in ("", "console"):
            raise RuntimeError("SMS_BACKEND must name an SMS provider adapter in production "
                               "(see community_app/services/sms.py)")
        if not self.staff_totp_required:
            raise RuntimeError("STAFF_TOTP=off is for tests only: staff need their second factor in production")


_settings: Settings | None = None


def get_settings() -> Settings:
    global _settings
    if _settings is None:
        _settings = Settings()
    return _settings


def reset_settings() -> None:
    """Tests change the environment and call this to re-read it."""
    global _settings
    _settings = None
