"""A blank Reflex app: the framework's floor for benchmarks/ws_rush.py. Run it like the real
app (``reflex run --env prod`` on one port); REDIS_URL turns on the Redis state manager, so
it can run on the same scale-out setup (GRANIAN_WORKERS backend workers) as the real app."""

import os

import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

_redis = os.environ.get("REDIS_URL") or None
# BLANK_RADIX=1: the counter as `reflex init` makes it, with Radix Themes (benchmarks/lighthouse.py
# --blank-radix): the floor of a page built from Radix components.
_radix = os.environ.get("BLANK_RADIX") == "1"
_origin = os.environ.get("APP_ORIGIN", "http://localhost:3000").rstrip("/")

config = rx.Config(
    app_name="blank_app",
    db_url=None,
    redis_url=_redis,
    state_manager_mode="redis" if _redis else "memory",  # as the real app with one worker
    api_url=os.environ.get("API_URL") or _origin,
    deploy_url=_origin,
    cors_allowed_origins=sorted({_origin, _origin.replace("://localhost", "://127.0.0.1")}),
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[rx.plugins.RadixThemesPlugin()] if _radix else [],
    disable_plugins=[SitemapPlugin],
)
