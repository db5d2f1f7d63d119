"""Reflex configuration. Everything deployment-specific comes from the environment:
DATABASE_URL, REDIS_URL (turns on the Redis state manager for several workers),
APP_ORIGIN (the only origin CORS allows) and API_URL (the same origin in production,
where frontend and backend share one port)."""

import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

from community_app.i18n.client import CataloguePlugin
from community_app.pagespeed import PageSpeedPlugin
from community_app.settings import get_settings

settings = get_settings()
_origins = {settings.app_origin.rstrip("/")}
# The same app is reachable on 127.0.0.1 and localhost in development and tests.
for origin in list(_origins):
    _origins.add(origin.replace("://localhost", "://127.0.0.1"))
    _origins.add(origin.replace("://127.0.0.1", "://localhost"))

config = rx.Config(
    app_name="community_app",
    db_url=None,  # we own the engine (community_app/db.py) and run plain alembic
    redis_url=settings.redis_url,
    # One worker keeps tab state in memory: the disk manager pickled every state to a file after
    # each event and listed its folder on each pass (14% of the backend's time in the websocket
    # rush, and residents' data in files); several workers share it through Redis.
    state_manager_mode="redis" if settings.redis_url else settings.state_manager,
    api_url=settings.api_url,
    deploy_url=settings.app_origin,
    cors_allowed_origins=sorted(_origins),
    trusted_proxy_hops=settings.trusted_proxy_hops,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[
        rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="teal", radius="large", scaling="100%", appearance="light")),
        # The catalogue module for keys looked up at run time (community_app/i18n/client.py).
        CataloguePlugin(),
        # Pages that paint before their JavaScript (community_app/pagespeed).
        PageSpeedPlugin(light_only=True),
    ],
    disable_plugins=[SitemapPlugin],
)
