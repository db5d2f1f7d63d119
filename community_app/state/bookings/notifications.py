"""/notifications (消息): the signed-in account's notifications, newest first; opening one
marks it read and goes to what it is about."""

from __future__ import annotations

from dataclasses import dataclass, replace

import reflex as rx

from community_app.services import notifications
from community_app.services.core.clock import community_zone
from community_app.state.base import AppState, parse_id
from community_app.state.bookings.common import BookingMixin, resident_link

NOTES_PAGE = 20
NOTES_MAX = 200


@dataclass
class NoteRow:
    id: int = 0
    title: str = ""
    body: str = ""
    when: str = ""
    unread: bool = False
    has_link: bool = False


def _notes(session, actor, limit: int):
    """(one more than ``limit`` notifications, the bell's count, the zone), in one read."""
    rows = notifications.list_notifications(session, actor, limit=limit + 1, offset=0)
    return rows, notifications.unread_count(session, actor), community_zone(session, actor.community_id)


class NotificationsState(BookingMixin, AppState):
    items: list[NoteRow] = []
    has_more: bool = False
    loaded: bool = False
    _links: dict[int, str] = {}
    _count: int = 0

    async def _fetch(self, limit: int):
        """Read the list again; returns the event for a refusal (signed out), or None."""
        out = await self._run(_notes, limit)
        if not out.ok:
            return self._refused(out)
        rows, self.unread, zone = out.value
        self.has_more = len(rows) > limit
        rows = rows[:limit]
        self._count = len(rows)
        self._links = {n.id: resident_link(n.link) for n in rows}
        self.items = [
            NoteRow(id=n.id, title=n.title, body=n.body, when=self._when(n.created_at, zone),
                    unread=n.read_at is None, has_link=bool(self._links[n.id]))
            for n in rows
        ]
        return None

    @rx.event
    async def load(self):
        refused = await self._fetch(NOTES_PAGE)
        self.loaded = True
        return refused

    @rx.event
    async def load_more(self):
        # Re-read from the top (newest first): a notification arriving meanwhile shifts
        # offsets, and a re-read never skips or repeats one.
        return await self._fetch(min(self._count + NOTES_PAGE, NOTES_MAX))

    @rx.event
    async def open_note(self, notification_id: int):
        nid = parse_id(notification_id)
        if nid is None:
            return None
        out = await self._write(notifications.mark_read, notification_id=nid)
        if not out.ok:
            return self._refused(out) if out.signed_out else rx.toast.error(self._error_text(out.error),
                                                                            position="top-center")
        await self._refresh_bell()
        self.items = [replace(n, unread=False) if n.id == nid else n for n in self.items]
        link = self._links.get(nid, "")
        return rx.redirect(link) if link else None

    @rx.event
    async def mark_all(self):
        out = await self._write(notifications.mark_all_read)
        if not out.ok:
            return self._refused(out)
        refused = await self._fetch(max(self._count, NOTES_PAGE))
        return refused or rx.toast.success(self._t("rbook.notes.all_read", n=out.value), position="top-center")

    @rx.var
    def unread_text(self) -> str:
        return self._t("notify.unread", n=self.unread)
