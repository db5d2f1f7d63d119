"""代办登记调解: staff file a case for someone who phoned or came in. Each party is a resident
found in the register (by name, mobile or building-room) or a name and address typed in."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.services.booking import find_residents
from community_app.services.mediation import cases
from community_app.services.mediation.common import CATEGORIES
from community_app.services.mediation.parties import PartyInput
from community_app.state.base import parse_id
from community_app.state.mediation.base import MediationBase
from community_app.state.mediation.photos import PhotoFormMixin

SIDES = ("applicant", "respondent")


def _text(form: dict, name: str, n: int = 2100) -> str:
    v = form.get(name, "") if isinstance(form, dict) else ""
    return v[:n] if isinstance(v, str) else ""


class StaffFileState(PhotoFormMixin, MediationBase):
    modes: dict[str, str] = {"applicant": "find", "respondent": "find"}
    results: dict[str, list[dict[str, str]]] = {"applicant": [], "respondent": []}
    searched: dict[str, bool] = {"applicant": False, "respondent": False}
    picked: dict[str, dict[str, str]] = {"applicant": {}, "respondent": {}}
    typed: dict[str, dict[str, str]] = {"applicant": {}, "respondent": {}}
    category: str = ""
    channel: str = "phone"
    consent: bool = False
    privacy: bool = False
    errors: dict[str, str] = {}
    message: str = ""
    busy: bool = False

    @rx.event
    def load(self):
        self.modes = {"applicant": "find", "respondent": "find"}
        self.results = {"applicant": [], "respondent": []}
        self.searched = {"applicant": False, "respondent": False}
        self.picked = {"applicant": {}, "respondent": {}}
        self.typed = {"applicant": {}, "respondent": {}}
        self.category, self.channel, self.consent, self.privacy = "", "phone", False, False
        self.errors, self.message, self.busy = {}, "", False
        self._drop_photos()

    @rx.event
    def set_mode(self, side: str, mode: str):
        if side in SIDES and mode in ("find", "typed"):
            self.modes = {**self.modes, side: mode}

    @rx.event
    async def search(self, side: str, form: dict):
        if side not in SIDES:
            return None
        out = await self._run(find_residents, query=_text(form, "q", 64), role="staff")
        if not out.ok:
            return self._refused(out)
        self.results = {**self.results, side: [
            {"id": str(r.resident_id), "name": r.name, "mobile": r.mobile, "address": r.address,
             "account": self._t("mediation.party.app") if r.has_account else self._t("mediation.party.no_app")}
            for r in out.value]}
        self.searched = {**self.searched, side: True}
        return None

    @rx.event
    def pick(self, side: str, resident_id: str):
        row = next((r for r in self.results.get(side, []) if r["id"] == resident_id), None) if side in SIDES else None
        if row is not None:
            self.picked = {**self.picked, side: row}
            self.errors = {k: v for k, v in self.errors.items() if k != side}

    @rx.event
    def unpick(self, side: str):
        if side in SIDES:
            self.picked = {**self.picked, side: {}}

    @rx.event
    def set_typed(self, side: str, key: str, value: str):
        if side in SIDES and key in ("name", "address", "phone") and isinstance(value, str):
            self.typed = {**self.typed, side: {**self.typed.get(side, {}), key: value[:210]}}

    @rx.event
    def set_category(self, value: str):
        if value in CATEGORIES:
            self.category = value

    @rx.event
    def set_channel(self, value: str):
        if value in ("phone", "visit"):
            self.channel = value

    @rx.event
    def set_consent(self, on: bool):
        self.consent = on is True

    @rx.event
    def set_privacy(self, on: bool):
        self.privacy = on is True

    def _party(self, side: str) -> PartyInput | None:
        if self.modes.get(side) == "typed":
            typed = self.typed.get(side, {})
            return PartyInput(name=typed.get("name", ""), address=typed.get("address", ""), phone=typed.get("phone", ""))
        rid = parse_id(self.picked.get(side, {}).get("id", ""))
        return PartyInput(resident_id=rid) if rid else None

    @rx.event
    async def submit(self, form: dict):
        if self.busy:
            return
        parties = {side: self._party(side) for side in SIDES}
        missing = [side for side, p in parties.items() if p is None]
        if missing:
            self.errors = {side: self._t("mediation.error.party_required") for side in missing}
            return
        try:
            photos = self._photo_payload()
        except OSError:
            self._drop_photos()
            self.photo_error = self._t("mediation.photo_lost")
            return
        self.busy, self.errors, self.message = True, {}, ""
        yield
        out = await self._run(cases.file_case_for, photos=photos, write=True, role="staff", applicant=parties["applicant"],
                              respondent=parties["respondent"], category=self.category,
                              description=_text(form, "description"), channel=self.channel,
                              since=_text(form, "since", 10), contact_times=_text(form, "contact_times", 210),
                              consent_share=self.consent, privacy_ack=self.privacy)
        self.busy = False
        if not out.ok:
            if out.signed_out:
                yield self._refused(out)
                return
            field = out.field or ""
            if field == "photos":
                self.photo_error, field = self._error_text(out.error), ""
            self.errors = {field: self._error_text(out.error)} if field else {}
            self.message = "" if out.field else self._error_text(out.error)
            return
        self._drop_photos()
        yield rx.redirect(routes.staff_mediation_case(out.value.id))
        yield rx.toast.success(self._t("mediation.file.done", number=out.value.number))
