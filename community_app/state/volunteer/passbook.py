"""爱心存折 (/volunteer/passbook?year=2026[&resident=12 for staff]): one year of points, month
by month, laid out for printing."""

from __future__ import annotations

from dataclasses import dataclass, field

import reflex as rx

from community_app import routes
from community_app.services.volunteering import views
from community_app.state.base import parse_id
from community_app.state.volunteer.common import VolBase, with_zone


@dataclass
class Line:
    day: str = ""
    text: str = ""
    income: str = ""
    spent: str = ""
    balance: str = ""


@dataclass
class MonthView:
    label: str = ""
    opening: str = ""
    closing: str = ""
    totals: str = ""
    lines: list[Line] = field(default_factory=list)


class VolPassbookState(VolBase):
    loaded: bool = False
    found: bool = False
    load_error: str = ""
    name: str = ""
    identifier: str = ""
    community: str = ""
    year: str = ""
    years: list[str] = []
    balance: str = ""
    months: list[MonthView] = []
    resident_q: str = ""  # "&resident=12" when staff look at someone's

    @rx.event
    async def load(self):
        q = self.router.url.query_parameters
        rid = parse_id(q.get("resident", "")) if q.get("resident") else None
        year = q.get("year", "")
        year = int(year) if isinstance(year, str) and year.isdigit() and len(year) == 4 else None
        out = await self._run(with_zone(lambda s, a: views.passbook(s, a, resident_id=rid, year=year)))
        self.loaded = True
        if not out.ok:
            if out.signed_out:
                return self._refused(out)
            self.found, self.load_error = False, self._error_text(out.error)
            return None
        book, zone = out.value
        self.found = True
        self.name, self.identifier, self.community = book.name, book.identifier, book.community_name
        self.year, self.years = str(book.year), [str(y) for y in book.years]
        self.balance = str(book.balance)
        self.resident_q = f"&resident={rid}" if rid else ""
        self.months = [MonthView(
            label=self._month(m.month), opening=self._t("vol.passbook.opening", n=m.opening),
            closing=self._t("vol.passbook.closing", n=m.closing),
            totals=self._t("vol.passbook.totals", a=m.earned, b=m.spent),
            lines=[Line(e.at.astimezone(zone).strftime("%m-%d"), e.text(self._loc()),
                        str(e.delta) if e.delta > 0 else "", str(-e.delta) if e.delta < 0 else "",
                        str(e.balance_after)) for e in m.lines])
            for m in book.months]
        return None

    @rx.event
    def pick_year(self, year: str):
        if year in self.years:
            return rx.redirect(f"{routes.VOL_PASSBOOK}?year={year}{self.resident_q}")
        return None
