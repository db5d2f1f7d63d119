"""The browser tab's title of every page in the reader's language.

The pages register themselves with a Chinese title (``app.add_page(..., title="登录 · 邻里通")``);
``TitledApp`` is the app as ``register(app)`` sees it: it adds each page with a title that is the
English one (``title.<route name>`` in the catalogue, e.g. ``title.login``) when the tab reads
English. The static HTML (pre-rendered in Chinese, the default) keeps the Chinese title.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from community_app import routes
from community_app.i18n import catalogue, t
from community_app.state.base import AppState

# "/login" -> "login", "/services/[type_id]" -> "service": the routes' names in routes.py.
ROUTE_NAMES = {value: name.lower() for name, value in vars(routes).items()
               if name.isupper() and isinstance(value, str) and value.startswith("/") and "{" not in value}


def title_key(route: str) -> str:
    """The catalogue key of a route's title ("index" is how Reflex names "/")."""
    path = route.strip("/")
    path = "" if path == "index" else path
    return "title." + ROUTE_NAMES.get("/" + path, path)


def page_title(route: str, title: str | None) -> str | rx.Var | None:
    """``title`` (the Chinese one) for Chinese readers, the catalogue's English for English ones."""
    key = title_key(route)
    if title is None or key not in catalogue("en"):
        return title
    return rx.cond(AppState.locale == "en", t(key, "en"), title)


class TitledApp:
    """The app, adding pages with titles in the reader's language (everything else as the app)."""

    def __init__(self, app: rx.App):
        self._app = app

    def add_page(self, component=None, route: str | None = None, title: str | None = None, **kw: Any):
        if route is not None:
            title = page_title(route, title)
        return self._app.add_page(component, route=route, title=title, **kw)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._app, name)
