"""benchmarks/ws_rush.py's own parts: the seeded sessions are real sign-ins for the app
(the cookie resolves to the resident, who sees and can book the dedicated day), the event
names come from the compiled pages, and a tab recognises the answer it waits for."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from benchmarks.ws_client import Frontend, Tab, delta_has, has_events, hydrated
from benchmarks.ws_seed import seed_world, slot_totals
from benchmarks.ws_servers import read_frontend
from community_app import db
from community_app.demo import seed_demo
from community_app.services import auth, booking, catalogue
from community_app.settings import reset_settings


@pytest.fixture
def demo_db(sqlite_url, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "ws-bench-test-secret")
    reset_settings()
    with db.write_session() as s:
        seed_demo(s, residents=60)
    yield sqlite_url
    reset_settings()


def test_seeded_cookies_sign_in_residents_who_can_book_the_day(demo_db):
    world = seed_world(5, 2, places=6, chairs=4, secret="ws-bench-test-secret")
    assert len(world.rush_cookies) == 5 and len(world.bystander_cookies) == 2
    assert len(set(world.rush_cookies + world.bystander_cookies)) == 7
    name, _, token = world.rush_cookies[0].partition("=")
    assert name == auth.SESSION_COOKIE
    with db.session() as s:
        actor = auth.resolve_session(s, token)
        assert actor is not None and actor.resident_id is not None and actor.community_id == world.community_id
        days = catalogue.open_days(s, actor, service_type_id=world.type_id, limit=14)
    day = next(d for d in days if d.day.isoformat() == world.day_key)
    assert [sl.capacity for sl in day.slots] == [4, 2]
    assert slot_totals(world.slot_ids) == (0, 6, 0)
    with db.write_session() as s:
        booking.book_slot(s, actor, slot_id=world.slot_ids[0])
    assert slot_totals(world.slot_ids) == (1, 6, 1)


def test_seed_refuses_another_secret(demo_db):
    with pytest.raises(AssertionError):
        seed_world(1, 0, places=2, chairs=2, secret="not-the-app-secret")


def test_event_names_come_from_the_compiled_pages(tmp_path):
    web = tmp_path / ".web"
    (web / "utils").mkdir(parents=True)
    (web / "app_components").mkdir()
    (web / "app").mkdir()
    (web / "utils" / "context.jsx").write_text(
        'export const initialStateHashes = ["a1", "b2"]\nexport const stateSchema = "abc"\n')
    root = "reflex___state____state.m___base____app_state"
    (web / "app_components" / "page.jsx").write_text(
        f'ReflexEvent("{root}.m___booking____service_state.pick_day", {{}})\n'
        f'ReflexEvent("{root}.m___staff____staff_days_state.pick_day", {{}})\n'
        f'ReflexEvent("{root}.m___booking____service_state.confirm_book", {{}})\n')
    front = read_frontend(web, ["service_state.pick_day", "confirm_book"])
    assert front.hashes == ["a1", "b2"] and front.schema == "abc"
    assert front.event("pick_day") == f"{root}.m___booking____service_state.pick_day"
    assert front.state_of("confirm_book") == f"{root}.m___booking____service_state"
    with pytest.raises(RuntimeError, match="ambiguous"):
        read_frontend(web, ["pick_day"])
    with pytest.raises(RuntimeError, match="not found"):
        read_frontend(web, ["set_tab"])


def test_a_tab_mirrors_deltas_and_waits_for_the_last_answer():
    front = Frontend(hashes=[], schema="", events={"confirm_book": "root.svc.confirm_book"})
    tab = Tab("http://127.0.0.1:1", front, timeout=2)
    sent: list[dict] = []

    async def emit(name, data, namespace=None):
        sent.append(data)
        # A handler that returns events answers twice: the delta, then the events.
        await tab._on_event({"delta": {"root.svc": {"dialog_rx_state_": ""}}})
        await tab._on_event({"events": [{"name": "_call_function", "payload": {}}]})

    tab.sio.emit = emit

    async def run():
        return await tab.send("confirm_book", {}, has_events)

    # In its own thread: other tests of the suite (the browser tests) leave a loop running here.
    with ThreadPoolExecutor(1) as pool:
        ms, messages = pool.submit(asyncio.run, run()).result(10)
    assert ms >= 0 and len(messages) == 2
    assert sent[0]["name"] == "root.svc.confirm_book" and sent[0]["router_data"]["pathname"] == "/"
    assert tab.var("root.svc", "dialog") == ""
    assert delta_has("root.svc", "dialog")(messages[0]) and not has_events(messages[0])
    assert hydrated({"delta": {"reflex___state____state": {"is_hydrated_rx_state_": True}}})
    assert not hydrated(json.loads('{"delta": {"reflex___state____state": {"is_hydrated_rx_state_": false}}}'))
