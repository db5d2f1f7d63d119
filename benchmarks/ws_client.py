"""A browser tab as Reflex 0.10's frontend drives it, over python-socketio: the pieces of
reflex_base/.templates/web/utils/state.js that benchmarks/ws_rush.py needs.

- Connect: socket.io on path ``/_event``, namespace ``/_event``, websocket transport, the
  tab's client token in the query (``?token=<uuid>``), the browser's cookies in the
  handshake headers (the server reads the session cookie from there, never from an event),
  and the first event in the CONNECT packet's auth: ``{"event": hydrate_and_load,
  "state_schema": <hash>}``. hydrate_and_load carries ``hashes`` (the compiled
  initialState's per-state hashes: the server then sends only the vars that differ) and the
  page's router_data; the server answers with the state snapshot and runs the page's
  on_load handlers, then sets ``is_hydrated``.
- Events: ``emit("event", {"name": "<state full name>.<handler>", "payload": {...},
  "router_data": {"pathname", "asPath", "query"}})``.
- Answers: ``"event"`` messages ``{"delta": {state: {var_rx_state_: value}}, "events": [...]}``.
  They carry no event id (``final`` is gone since 0.9): events of one tab run one at a
  time, so a tab that waits for each answer before sending again knows whose it is; a
  handler that returns events (a toast, a redirect) answers twice, the delta then the
  events. ``send`` waits for the message that a predicate recognises as the last one.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import socketio

ROOT_STATE = "reflex___state____state"
FIELD = "_rx_state_"
HYDRATE_AND_LOAD = f"{ROOT_STATE}.hydrate_and_load"
ON_LOAD_INTERNAL = f"{ROOT_STATE}.reflex___state____on_load_internal_state.on_load_internal"
NAMESPACE = "/_event"

Message = dict
Predicate = Callable[[Message], bool]


class AnswerTimeout(Exception):
    pass


@dataclass
class Frontend:
    """What a tab needs from the compiled frontend (.web): the state-tree hashes sent with
    the first hydrate, the schema hash, and the full names of the events the pages send."""

    hashes: list[str]
    schema: str
    events: dict[str, str] = field(default_factory=dict)  # handler -> full event name

    def event(self, handler: str) -> str:
        return self.events[handler]

    def state_of(self, handler: str) -> str:
        return self.events[handler].rsplit(".", 1)[0]


def route(pathname: str, query: dict[str, str] | None = None) -> dict:
    """router_data as withRouterData builds it (the dynamic route's params go in query)."""
    data = {"pathname": pathname, "asPath": pathname}
    if query:
        data["query"] = dict(query)
    return data


def delta_has(state: str, var: str) -> Predicate:
    key = var + FIELD
    return lambda m: key in (m.get("delta") or {}).get(state, {})


def hydrated(m: Message) -> bool:
    return (m.get("delta") or {}).get(ROOT_STATE, {}).get("is_hydrated" + FIELD) is True


def has_events(m: Message) -> bool:
    return bool(m.get("events"))


class Tab:
    """One browser tab: its own socket, cookie and client token, and a mirror of the state
    vars the server sent it (``var(state, name)``)."""

    def __init__(self, base_url: str, frontend: Frontend, *, cookie: str = "", timeout: float = 120.0):
        self.base_url = base_url.rstrip("/")
        self.frontend = frontend
        self.cookie = cookie
        self.timeout = timeout
        self.token = str(uuid.uuid4())
        self.router: dict = route("/")
        self.vars: dict[str, dict] = {}
        self.received = 0
        self._waiting: tuple[Predicate, asyncio.Future, list] | None = None
        self.sio = socketio.AsyncClient(reconnection=False, handle_sigint=False)
        self.sio.on("event", self._on_event, namespace=NAMESPACE)

    # ---- messages

    async def _on_event(self, message: Message) -> None:
        now = time.perf_counter()
        self.received += 1
        if not isinstance(message, dict):
            return
        for state, values in (message.get("delta") or {}).items():
            self.vars.setdefault(state, {}).update(values)
        if self._waiting is not None:
            predicate, done, seen = self._waiting
            seen.append(message)
            if not done.done() and predicate(message):
                done.set_result(now)

    def var(self, state: str, name: str, default=None):
        return self.vars.get(state, {}).get(name + FIELD, default)

    async def _answer(self, start: Callable, predicate: Predicate, what: str) -> tuple[float, list[Message]]:
        """Run ``start`` (which sends), wait for the answer; (milliseconds, messages seen)."""
        if self._waiting is not None:
            raise RuntimeError("one event at a time per tab")
        done: asyncio.Future = asyncio.get_running_loop().create_future()
        seen: list[Message] = []
        self._waiting = (predicate, done, seen)
        try:
            sent = time.perf_counter()
            await start()
            try:
                answered = await asyncio.wait_for(done, self.timeout)
            except TimeoutError:
                raise AnswerTimeout(f"{what}: no answer in {self.timeout:.0f}s ({len(seen)} messages seen)") from None
            return (answered - sent) * 1000.0, seen
        finally:
            self._waiting = None

    # ---- the browser's actions

    async def open(self, pathname: str, query: dict[str, str] | None = None) -> float:
        """Load a page: connect with hydrate_and_load in the CONNECT packet; returns the
        milliseconds until the page is hydrated (its on_load handlers have run)."""
        self.router = route(pathname, query)
        boot = {"name": HYDRATE_AND_LOAD, "payload": {"hashes": self.frontend.hashes}, "router_data": self.router}
        headers = {"Origin": self.base_url}
        if self.cookie:
            headers["Cookie"] = self.cookie

        async def start():
            await self.sio.connect(f"{self.base_url}?token={self.token}", headers=headers, transports=["websocket"],
                                   namespaces=[NAMESPACE], socketio_path="/_event",
                                   auth={"event": boot, "state_schema": self.frontend.schema},
                                   wait_timeout=self.timeout)

        ms, _ = await self._answer(start, hydrated, f"open {pathname}")
        return ms

    async def navigate(self, pathname: str, query: dict[str, str] | None = None) -> float:
        """A client-side route change (rx.redirect): the new page's on_load_internal."""
        self.router = route(pathname, query)
        return (await self.send(ON_LOAD_INTERNAL, {}, hydrated, raw=True))[0]

    async def send(self, handler: str, payload: dict, until: Predicate, *, raw: bool = False
                   ) -> tuple[float, list[Message]]:
        """Send one event (by handler name, or a full event name with ``raw``) and wait for the
        message ``until`` recognises as its last answer."""
        name = handler if raw else self.frontend.event(handler)
        event = {"name": name, "payload": payload, "router_data": self.router}
        return await self._answer(lambda: self.sio.emit("event", event, namespace=NAMESPACE), until, name)

    async def close(self) -> None:
        try:
            await asyncio.wait_for(self.sio.disconnect(), 10)
        except Exception:  # noqa: BLE001 - closing at the end of a run
            pass
