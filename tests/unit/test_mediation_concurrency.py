"""Mediation under concurrency, on SQLite and PostgreSQL: threads with their own sessions,
released together by a barrier. Case numbers stay unique and gap-free (also for the first case
of a year, when the counter row does not exist yet); a room slot goes to exactly one session;
one resident's many taps in a poll leave one vote."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func
from sqlmodel import select

from community_app import db as dbmod
from community_app.models import (
    MediationCase,
    MediationSession,
    ServiceDay,
    ServiceSlot,
    ServiceType,
    TopicVote,
)
from community_app.services.errors import Conflict
from community_app.services.mediation import cases, sessions, topics, workflow
from community_app.services.mediation.parties import PartyInput
from tests.conftest import build_world

pytestmark = pytest.mark.timeout(180)


def _together(jobs):
    barrier = threading.Barrier(len(jobs))
    out: list = [None] * len(jobs)

    def run(i, job):
        barrier.wait()
        try:
            with dbmod.write_session() as s:
                out[i] = ("ok", job(s))
        except Conflict as e:
            out[i] = ("conflict", e.key)
        except BaseException as e:  # noqa: BLE001 - reported by the assertion below
            out[i] = ("error", repr(e))

    threads = [threading.Thread(target=run, args=(i, j)) for i, j in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=150)
    assert not any(t.is_alive() for t in threads)
    assert [o for o in out if o is None or o[0] == "error"] == []
    return out


def _file(world, i):
    def job(s):
        return cases.file_case(s, world.resident, category="noise", description=f"第{i}次反映噪音。",
                               respondent=PartyInput(name="楼上住户", address="3号楼1单元301"), privacy_ack=True).number
    return job


def test_twenty_cases_filed_at_once_get_twenty_different_numbers(any_db_url):
    with dbmod.write_session() as s:
        world = build_world(s)
    out = _together([_file(world, i) for i in range(20)])
    numbers = sorted(v for _, v in out)
    assert len(set(numbers)) == 20
    assert [int(n.rsplit("-", 1)[1]) for n in numbers] == list(range(1, 21))  # no gaps, starting at 1
    with dbmod.session() as s:
        assert s.exec(select(func.count(MediationCase.id))).one() == 20


def test_one_room_slot_goes_to_exactly_one_of_many_sessions(any_db_url):
    with dbmod.write_session() as s:
        world = build_world(s)
        stype = ServiceType(community_id=world.community_id, code="room_mediation", name="调解室", kind="slot",
                            category="room")
        s.add(stype)
        s.flush()
        start = datetime.now(UTC) + timedelta(days=2)
        day = ServiceDay(service_type_id=stype.id, day=start.date())
        s.add(day)
        s.flush()
        slot = ServiceSlot(service_day_id=day.id, service_type_id=stype.id, number=1, starts_at=start,
                           ends_at=start + timedelta(hours=1), capacity=1)
        s.add(slot)
        s.commit()
        slot_id = slot.id
        case_ids = []
        for i in range(8):
            case = cases.file_case(s, world.resident, category="leak", description=f"漏水{i}",
                                   respondent=PartyInput(resident_id=world.resident2.resident_id), privacy_ack=True)
            workflow.assign_mediator(s, world.staff, case_id=case.id, account_id=world.staff.account_id)
            case_ids.append(case.id)
    def book(case_id):
        return lambda s: sessions.schedule_session(s, world.staff, case_id=case_id, slot_id=slot_id).id

    out = _together([book(cid) for cid in case_ids])
    assert sum(1 for o in out if o[0] == "ok") == 1
    assert {o[1] for o in out if o[0] == "conflict"} == {"mediation.error.slot_full"}
    with dbmod.session() as s:
        assert s.exec(select(ServiceSlot.taken).where(ServiceSlot.id == slot_id)).one() == 1
        assert s.exec(select(func.count(MediationSession.id))).one() == 1


def test_many_taps_in_a_poll_leave_one_vote(any_db_url):
    with dbmod.write_session() as s:
        world = build_world(s)
        topic = topics.open_topic(s, world.staff, title="充电桩", body="装不装？", compound_id=world.compound_id,
                                  poll_question="装在哪里？", options=["东侧", "西侧"])
        view = topics.topic_view(s, world.staff, topic_id=topic.id)
        options = [o.id for o in view.options]
    out = _together([(lambda o: lambda s: topics.vote(s, world.resident, topic_id=topic.id, option_id=o).id)(
        options[i % 2]) for i in range(10)])
    assert all(o[0] == "ok" for o in out)
    with dbmod.session() as s:
        assert s.exec(select(func.count(TopicVote.id))).one() == 1
