"""/services: the community's services offered to the signed-in resident (slot-based ones
first), each with who it is for when the resident is not eligible."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from community_app import routes
from community_app.services import catalogue
from community_app.state.base import AppState
from community_app.state.bookings.common import BookingMixin


@dataclass
class OfferRow:
    id: int = 0
    code: str = ""
    name: str = ""
    description: str = ""
    icon: str = ""
    kind: str = ""
    eligible: bool = True
    home_visit: bool = False
    href: str = ""
    reason: str = ""  # who the service is for, when the reader is not eligible


def eligibility(offer: catalogue.ServiceOffer, locale: str, *, with_call: bool) -> str:
    """Who a type the reader may not use is for ("" when they may use it)."""
    if offer.eligible:
        return ""
    return catalogue.eligibility_text(service_name=offer.name, care=offer.eligible_care,
                                      min_age=offer.eligible_min_age, phone=offer.contact_phone,
                                      locale=locale, with_call=with_call)


class ServicesState(BookingMixin, AppState):
    offers: list[OfferRow] = []
    load_error: str = ""
    loaded: bool = False

    @rx.event
    async def load(self):
        out = await self._run(catalogue.offered_services)
        if out.signed_out:
            return self._refused(out)
        self.loaded = True
        if not out.ok:
            self.offers = []
            self.load_error = self._error_text(out.error)
            return None
        self.load_error = ""
        loc = self._loc()
        self.offers = [
            OfferRow(id=o.id, code=o.code, name=o.name, description=o.description, icon=o.icon, kind=o.kind,
                     eligible=o.eligible, home_visit=o.home_visit, href=routes.service(o.id),
                     reason=eligibility(o, loc, with_call=False))
            for o in out.value
        ]
        return None

    @rx.var
    def slot_offers(self) -> list[OfferRow]:
        return [o for o in self.offers if o.kind == "slot"]

    @rx.var
    def request_offers(self) -> list[OfferRow]:
        return [o for o in self.offers if o.kind != "slot"]
