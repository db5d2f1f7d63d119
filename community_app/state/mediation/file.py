"""申请调解: the resident's filing form. The other party is found by address (the people
registered there, names masked) or typed in (name and address) when they are not registered.
The service checks everything again; this state only collects and shows errors."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.i18n import DEFAULT_LOCALE, t
from community_app.services.mediation import cases
from community_app.services.mediation.common import CATEGORIES
from community_app.services.mediation.parties import PartyInput, compounds, find_neighbours, home_of
from community_app.state.base import parse_id
from community_app.state.mediation.base import MediationBase
from community_app.state.mediation.photos import PhotoFormMixin

TIME_CHIPS = ("weekday_day", "weekday_evening", "weekend", "anytime")


def _text(form: dict, name: str, limit: int = 2100) -> str:
    value = form.get(name, "") if isinstance(form, dict) else ""
    return value[:limit] if isinstance(value, str) else ""


class FileCaseState(PhotoFormMixin, MediationBase):
    form_key: str = ""
    category: str = ""
    party_mode: str = "address"  # "address" (a registered neighbour) / "typed"
    compound_options: list[dict[str, str]] = []
    compound_id: str = ""
    building: str = ""
    unit: str = ""
    room: str = ""
    neighbours: list[dict[str, str]] = []
    searched: bool = False
    picked: str = ""
    times: list[str] = []
    consent: bool = False
    privacy: bool = False
    errors: dict[str, str] = {}
    message: str = ""
    busy: bool = False

    @rx.event
    async def load(self):
        self.category, self.party_mode, self.neighbours, self.searched, self.picked = "", "address", [], False, ""
        self.times, self.consent, self.privacy, self.errors, self.message, self.busy = [], False, False, {}, "", False
        self._drop_photos()
        out = await self._run(lambda s, a: (compounds(s, a), home_of(s, a)))
        if not out.ok:
            return self._refused(out)
        options, home = out.value
        self.compound_options = [{"id": str(i), "name": n} for i, n in options]
        self.compound_id = str(home.compound_id) if home else (self.compound_options[0]["id"] if options else "")
        self.building, self.unit, self.room = (home.building, home.unit, "") if home else ("", "", "")
        self.form_key = f"{self.compound_id}-{self.building}-{self.unit}"
        return None

    @rx.event
    def pick_category(self, key: str):
        if key in CATEGORIES:
            self.category = key
            self.errors = {k: v for k, v in self.errors.items() if k != "category"}

    @rx.event
    def set_party_mode(self, mode: str):
        if mode in ("address", "typed"):
            self.party_mode = mode
            self.errors = {}

    @rx.event
    def set_compound(self, value: str):
        if value in {o["id"] for o in self.compound_options}:
            self.compound_id = value
            self.searched, self.neighbours, self.picked = False, [], ""

    @rx.event
    def set_address_part(self, part: str, value: str):
        if part in ("building", "unit", "room") and isinstance(value, str):
            setattr(self, part, value.strip()[:16])
            self.searched, self.neighbours, self.picked = False, [], ""

    @rx.event
    async def find(self):
        compound = parse_id(self.compound_id)
        out = await self._run(find_neighbours, compound_id=compound or 0, building=self.building, unit=self.unit,
                              room=self.room)
        self.picked = ""
        if not out.ok:
            if out.signed_out:
                return self._refused(out)
            self.errors = {"address": self._error_text(out.error)}
            return None
        self.errors = {k: v for k, v in self.errors.items() if k not in ("address", "respondent")}
        self.neighbours = [{"id": str(n.resident_id), "name": n.masked_name,
                            "note": "" if n.has_account else self._t("mediation.file.no_account")} for n in out.value]
        self.searched = True
        if len(self.neighbours) == 1:
            self.picked = self.neighbours[0]["id"]
        return None

    @rx.event
    def pick(self, resident_id: str):
        if resident_id in {n["id"] for n in self.neighbours}:
            self.picked = resident_id
            self.errors = {k: v for k, v in self.errors.items() if k != "respondent"}

    @rx.event
    def toggle_time(self, key: str):
        if key in TIME_CHIPS:
            self.times = [k for k in TIME_CHIPS if (k in self.times) != (k == key)]

    @rx.event
    def set_consent(self, on: bool):
        self.consent = on is True

    @rx.event
    def set_privacy(self, on: bool):
        self.privacy = on is True
        if self.privacy:
            self.errors = {k: v for k, v in self.errors.items() if k != "privacy"}

    def _respondent(self, form: dict) -> PartyInput | None:
        if self.party_mode == "typed":
            return PartyInput(name=_text(form, "other_name", 40), address=_text(form, "other_address", 210),
                              phone=_text(form, "other_phone", 30))
        rid = parse_id(self.picked)
        return PartyInput(resident_id=rid) if rid else None

    @rx.event
    async def submit(self, form: dict):
        if self.busy:
            return
        respondent = self._respondent(form)
        if respondent is None:
            self.errors = {"respondent": self._t("mediation.error.party_required")}
            return
        # Chip words are stored in the community's language: staff read them.
        times = [t(f"mediation.time.{k}", DEFAULT_LOCALE) for k in self.times]
        if _text(form, "times_other", 60).strip():
            times.append(_text(form, "times_other", 60).strip())
        try:
            photos = self._photo_payload()
        except OSError:
            self._drop_photos()
            self.photo_error = self._t("mediation.photo_lost")
            return
        self.busy, self.errors, self.message = True, {}, ""
        yield
        out = await self._run(cases.file_case, write=True, category=self.category, description=_text(form, "description"),
                              since=_text(form, "since", 10), respondent=respondent, contact_times="、".join(times),
                              consent_share=self.consent, privacy_ack=self.privacy, photos=photos)
        self.busy = False
        if not out.ok:
            if out.signed_out:
                yield self._refused(out)
                return
            field = out.field
            if field == "photos":
                self.photo_error = self._error_text(out.error)
            elif field and field.startswith("respondent"):
                self.errors = {"respondent" if field == "respondent" else field.replace("respondent_", "other_"):
                               self._error_text(out.error)}
            else:
                self.errors, self.message = self._form_errors(out.error)
            return
        case = out.value
        self._drop_photos()
        yield rx.redirect(routes.mediation_case(case.id))
        yield rx.toast.success(self._t("mediation.file.done", number=case.number), position="top-center")
