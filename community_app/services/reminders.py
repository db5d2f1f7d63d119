"""Day-before reminders of every domain: the list of sources the scheduled job runs
(``python -m community_app.cli send-reminders``). A domain with dated things adds its source
here (see ``services/core/reminders.py`` for what a source is)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from community_app.services.classes.notices import class_reminders
from community_app.services.core import reminders
from community_app.services.mediation.sessions import session_reminders
from community_app.services.notifications import booking_reminders
from community_app.services.volunteering.tasks import volunteer_reminders

SOURCES: list[reminders.Source] = [
    booking_reminders,
    class_reminders,
    session_reminders,
    volunteer_reminders,
]


def send_reminders(session: Session, *, now: datetime | None = None) -> int:
    """Create tomorrow's reminders for every community; returns how many were new. Idempotent.
    Commits."""
    return reminders.send(session, SOURCES, now=now)
