"""Run a Reflex page state's handlers under pytest, as the browser would: a state built with a
session cookie (and the page's address), and handlers of any shape (plain, coroutine,
generator, async generator) run to the end."""

from __future__ import annotations

import asyncio
import inspect
from concurrent.futures import ThreadPoolExecutor

import reflex as rx
from reflex.istate.data import RouterData

from community_app.services.auth import SESSION_COOKIE


def state_for(cls, token: str, path: str = "", *, whole_tree: bool = False):
    """A state of ``cls`` for the browser holding ``token``, on the page ``path`` (may carry
    ?query). ``whole_tree``: build every state (needed to change a var that other states'
    computed vars depend on, such as the language)."""
    router = {"headers": {"cookie": f"{SESSION_COOKIE}={token}", "origin": "http://localhost:3000"}}
    if path:
        router["asPath"] = path
    if whole_tree:
        root = rx.State()
        root.router = RouterData.from_router_data(router)
        return root.get_substate(cls.get_full_name().split(".")[1:])
    root = rx.State(init_substates=False)
    chain = []
    parent = cls.get_parent_state()
    while parent is not None and parent is not rx.State:
        chain.append(parent)
        parent = parent.get_parent_state()
    state = root
    for ancestor in reversed(chain):
        state = ancestor(parent_state=state, init_substates=False)
    state = cls(parent_state=state, init_substates=False)
    # The session cookie arrives with the websocket handshake, as in the browser.
    state.router = RouterData.from_router_data(router)
    return state


def run_handler(handler, state, *args):
    """Run an event handler the way Reflex would; returns what it returned or the list of what it yielded."""
    result = handler.fn(state, *args)
    if inspect.isasyncgen(result) or inspect.iscoroutine(result):
        async def drain():
            return [x async for x in result] if inspect.isasyncgen(result) else await result
        # A thread of its own: the browser tests' Playwright may own this thread's event loop.
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, drain()).result()
    if inspect.isgenerator(result):
        return list(result)
    return result
