"""Nothing of one user stays in the tab: on sign-out and sign-in every state of the tab
(every page's substate, loaded or not, with its backend-only vars) goes back to its defaults.

Reflex keeps one state tree per browser tab, and a reload keeps the tab (its token lives in
sessionStorage): without this, a resident signing in where staff signed out would be sent
the staff member's queue rows with the next full state. What belongs to the device, not to
a person, stays: the language and elder mode kept in local storage.
"""

from __future__ import annotations

from collections.abc import Iterator

import reflex as rx
from reflex.state import BaseState


def app_state_classes(root: type[BaseState] = rx.State) -> Iterator[type[BaseState]]:
    """Every state class of the app under ``root`` (Reflex's own internal states excluded)."""
    for cls in root.get_substates():
        if not cls.__module__.startswith("reflex"):
            yield cls
        yield from app_state_classes(cls)


def _reset_own_fields(state: BaseState) -> None:
    cls = type(state)
    for name, f in cls.__fields__.items():
        if f._owner is not cls or name == "router_data" or name.startswith("rx_router"):
            continue
        if cls._is_client_storage(f):  # the device's language and elder mode
            continue
        default = f.default_value()
        if getattr(state, name, None) != default:
            setattr(state, name, default)


async def reset_tab(state: BaseState) -> int:
    """Reset every app state of ``state``'s tab; returns how many states were reset. Loads
    the substates not loaded yet (the Redis state manager loads them lazily)."""
    count = 0
    for cls in app_state_classes():
        substate = await state.get_state(cls)
        _reset_own_fields(substate)
        count += 1
    return count
