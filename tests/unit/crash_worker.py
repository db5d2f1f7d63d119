"""A booking rush in a process of its own, for test_crash.py (which SIGKILLs it). Each
resident books a slot; every booking the service committed is reported on stdout as
``ACK <booking_id> <resident_id> <slot_id>`` right after ``book_slot`` returned (i.e. after
the commit): what a browser would have been told.

    DATABASE_URL=... python -m tests.unit.crash_worker COMMUNITY_ID SLOT_IDS RESIDENT:ACCOUNT,...
"""

from __future__ import annotations

import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from community_app import db
from community_app.models import Role
from community_app.services import booking
from community_app.services.access import Actor
from community_app.services.errors import DomainError

_print = threading.Lock()


def main(argv: list[str]) -> int:
    community_id = int(argv[0])
    slot_ids = [int(x) for x in argv[1].split(",")]
    people = [tuple(map(int, p.split(":"))) for p in argv[2].split(",") if p]

    def book(person):
        resident_id, account_id = person
        actor = Actor(account_id=account_id, community_id=community_id, display_name=f"r{resident_id}",
                      resident_id=resident_id, roles=frozenset({Role.RESIDENT}))
        # The same slot on every try: a retry after a booking committed but not acknowledged
        # (killed in between) must meet "already booked", not book a second slot.
        slot_id = slot_ids[resident_id % len(slot_ids)]
        try:
            with db.write_session() as s:
                b = booking.book_slot(s, actor, slot_id=slot_id)
                line = f"ACK {b.id} {resident_id} {slot_id}"
        except DomainError as err:
            line = f"REFUSED {resident_id} {err.key}"
        with _print:
            print(line, flush=True)

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(book, people))
    print("DONE", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
