"""The staff case page: everything about a case (every open is audit-logged by the service),
and the workflow: assign, updates with visibility and channel, sessions in the room's slots,
outcome and 主次责任, close, 回访, reopen. Each action re-checks on the server; the page shows
an action only when the service's ``can_*`` flag says so."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from community_app.services.mediation import sessions, updates, views, workflow
from community_app.state.base import parse_id
from community_app.state.mediation.base import CATEGORY_ICONS, MediationBase, StepRow
from community_app.state.mediation.resident import SessionRow

DIALOGS = ("close", "cancel_session", "record_session", "followup_plan", "followup_record", "reopen", "schedule")


@dataclass
class StaffCard:
    id: int = 0
    number: str = ""
    category: str = ""
    icon: str = ""
    title: str = ""
    status: str = ""
    status_label: str = ""
    filed: str = ""
    intake: str = ""
    since: str = ""
    description: str = ""
    contact_times: str = ""
    consent: str = ""
    mediator: str = ""
    mediator_id: str = ""
    quiet: str = ""
    flag: str = ""  # the promise broken, in words ("" when kept)
    outcome: str = ""
    outcome_label: str = ""
    responsibility: str = ""
    responsibility_label: str = ""
    responsibility_note: str = ""
    agreement: str = ""
    remedy: str = ""
    followup: str = ""
    followup_done: bool = False
    reopen_until: str = ""
    reopen_requested: bool = False
    reopened: str = ""
    room: str = ""
    can_assign: bool = False
    can_outcome: bool = False
    can_close: bool = False
    can_schedule: bool = False
    can_plan_followup: bool = False
    can_record_followup: bool = False
    can_reopen: bool = False
    reopen_needs_party: bool = False


@dataclass
class PartyRow:
    id: str = ""
    role: str = ""
    name: str = ""
    address: str = ""
    phone: str = ""
    account: str = ""


@dataclass
class SlotRow:
    id: str = ""
    day: str = ""
    time: str = ""
    location: str = ""


class StaffCaseState(MediationBase):
    loaded: bool = False
    found: bool = False
    load_error: str = ""
    c: StaffCard = StaffCard()
    parties: list[PartyRow] = []
    steps: list[StepRow] = []
    sessions: list[SessionRow] = []
    mediators: list[dict[str, str]] = []
    slots: list[SlotRow] = []
    visibility: str = "public"
    dlg: str = ""
    dlg_session: str = ""
    pick_slot: str = ""
    errors: dict[str, str] = {}
    busy: bool = False

    def _case_id(self) -> int | None:
        return parse_id((self.router.url.path or "").rstrip("/").rsplit("/", 1)[-1])

    def _fill(self, v: views.StaffCaseView) -> None:
        zone = self._zone(v.timezone)
        names = {p.id: (p.name or p.address) for p in v.parties}
        flag = ""
        if v.late:
            flag = self._t("mediation.flag.late", n=v.answer_hours_rule)
        elif v.quiet:
            flag = self._t("mediation.flag.quiet", n=v.quiet_days_rule)
        self.c = StaffCard(
            id=v.id, number=v.number, category=self._category(v.category),
            icon=CATEGORY_ICONS.get(v.category, "circle-help"), title=v.title, status=v.status,
            status_label=self._status_label(v.status), filed=self._when(v.created_at, zone),
            intake=self._t("mediation.intake.on_behalf", channel=self._t(f"mediation.channel.{v.intake_channel}"))
            if v.on_behalf else self._t("mediation.intake.app"),
            since=self._date(v.since), description=v.description, contact_times=v.contact_times,
            consent=self._t("mediation.consent.yes" if v.consent_share else "mediation.consent.no"),
            mediator=v.mediator_name, mediator_id=str(v.mediator_account_id or ""), quiet=self._quiet_text(v.days_quiet),
            flag=flag, outcome=v.outcome, outcome_label=self._t(f"mediation.outcome.{v.outcome}") if v.outcome else "",
            responsibility=v.responsibility,
            responsibility_label=self._t(f"mediation.resp.{v.responsibility}") if v.responsibility else "",
            responsibility_note=v.responsibility_note, agreement=v.agreement, remedy=v.remedy,
            followup=self._date(v.followup_on), followup_done=v.followup_done_at is not None,
            reopen_until=self._when(v.reopen_until, zone), reopen_requested=v.reopen_requested,
            reopened=self._t("mediation.reopened_n", n=v.reopened_count) if v.reopened_count else "", room=v.room_name,
            can_assign=v.can_assign, can_outcome=v.can_outcome, can_close=v.can_close, can_schedule=v.can_schedule,
            can_plan_followup=v.can_plan_followup, can_record_followup=v.can_record_followup,
            can_reopen=v.can_reopen, reopen_needs_party=v.reopen_needs_party)
        self.parties = [PartyRow(
            id=str(p.id), role=self._t(f"mediation.role.{p.role}"), name=p.name, address=p.address, phone=p.phone,
            account=self._t("mediation.party.app") if p.has_account else (
                self._t("mediation.party.no_app") if p.registered else self._t("mediation.party.unregistered")))
            for p in v.parties]
        self.steps = [self._step_row(st, zone, party_names=names, staff=True) for st in reversed(v.steps)]
        self.sessions = [SessionRow(
            id=s.id, when=self._when(s.starts_at, zone), location=s.location, status=s.status,
            status_label=self._t(f"mediation.session.{s.status}"), note=s.note, day_cancelled=s.day_cancelled,
            can_cancel=s.can_cancel, can_record=s.can_record) for s in v.sessions]

    async def _refresh(self):
        cid = self._case_id()

        def work(s, a):
            view = views.staff_view(s, a, case_id=cid or 0)
            return view, workflow.mediators(s, a, community_id=None)

        out = await self._run(work, write=True, role="staff")
        if out.ok:
            view, people = out.value
            self._fill(view)
            self.mediators = [{"id": str(a.id), "name": a.display_name} for a in people]
            self.found = True
        return out

    @rx.event
    async def load(self):
        self.found, self.load_error, self.dlg, self.errors, self.busy = False, "", "", {}, False
        self.visibility, self.slots, self.pick_slot = "public", [], ""
        out = await self._refresh()
        self.loaded = True
        if not out.ok:
            if out.signed_out:
                return self._refused(out)
            self.load_error = self._error_text(out.error)
        return None

    @rx.event
    def set_visibility(self, value: str):
        if value in ("public", "internal", "private"):
            self.visibility = value

    @rx.event
    async def open_dialog(self, name: str, session_id: str = ""):
        if name not in DIALOGS:
            return None
        self.dlg, self.errors, self.dlg_session = name, {}, session_id if parse_id(session_id) else ""
        if name == "schedule":
            cid = self._case_id() or 0
            out = await self._run(sessions.free_room_slots, case_id=cid, role="staff")
            if not out.ok:
                self.dlg = ""
                return self._refused(out)
            zone = self._zone("")
            self.slots = [SlotRow(str(o.slot_id), self._date(o.starts_at.astimezone(zone).date()),
                                  f"{o.starts_at.astimezone(zone):%H:%M}–{o.ends_at.astimezone(zone):%H:%M}", o.location)
                          for o in out.value]
            self.pick_slot = ""
        return None

    @rx.event
    def close_dialog(self):
        self.dlg, self.errors = "", {}

    @rx.event
    def choose_slot(self, slot_id: str):
        if slot_id in {s.id for s in self.slots}:
            self.pick_slot = slot_id

    async def _act(self, fn, ok_key: str, *, with_case: bool = True, form_id: str = "", **kwargs):
        cid = self._case_id()
        if self.busy or cid is None or cid != self.c.id:
            return None
        self.busy = True
        out = await self._run(fn, write=True, role="staff", **({"case_id": cid} if with_case else {}), **kwargs)
        self.busy = False
        if not out.ok:
            if out.field and not out.signed_out:
                self.errors, message = self._form_errors(out.error)
                return rx.toast.error(message) if message else None
            return self._refused(out)
        self.dlg, self.errors = "", {}
        await self._refresh()
        done = rx.toast.success(self._t(ok_key))
        return [done, rx.call_script(f"document.getElementById('{form_id}')?.reset()")] if form_id else done


    @rx.event
    async def assign(self, form: dict):
        account = parse_id(text_of(form, "mediator", 20))
        if account is None:
            self.errors = {"account_id": self._t("mediation.error.mediator_invalid")}
            return None
        return await self._act(workflow.assign_mediator, "mediation.staff.assigned", account_id=account)

    @rx.event
    async def post_update(self, form: dict):
        return await self._act(updates.post_update, "mediation.staff.update_posted", form_id="update-form",
                               text=text_of(form, "text"), visibility=self.visibility,
                               channel=text_of(form, "channel", 10) or "app",
                               party_id=parse_id(text_of(form, "party", 20)) if self.visibility == "private" else None)

    @rx.event
    async def save_outcome(self, form: dict):
        return await self._act(workflow.record_outcome, "mediation.staff.outcome_saved",
                               responsibility=text_of(form, "responsibility", 20), outcome=text_of(form, "outcome", 20),
                               responsibility_note=text_of(form, "responsibility_note", 600),
                               agreement=text_of(form, "agreement"), remedy=text_of(form, "remedy", 600))

    @rx.event
    async def close_case(self, form: dict):
        return await self._act(workflow.close_case, "mediation.staff.closed", note=text_of(form, "note", 600),
                               followup_on=text_of(form, "followup_on", 10) or None)

    @rx.event
    async def schedule(self, form: dict):
        slot = parse_id(self.pick_slot)
        if slot is None:
            self.errors = {"slot_id": self._t("mediation.error.slot_invalid")}
            return None
        return await self._act(sessions.schedule_session, "mediation.staff.session_set", slot_id=slot,
                               note=text_of(form, "note", 600))

    @rx.event
    async def cancel_session(self, form: dict):
        sid = parse_id(self.dlg_session)
        if sid is None:
            return None
        return await self._act(sessions.cancel_session, "mediation.staff.session_cancelled", with_case=False,
                               session_id=sid, reason=text_of(form, "reason", 400))

    @rx.event
    async def record_session(self, form: dict):
        sid = parse_id(self.dlg_session)
        if sid is None:
            return None
        return await self._act(sessions.record_session, "mediation.staff.session_recorded", with_case=False,
                               session_id=sid, note=text_of(form, "note", 1100))

    @rx.event
    async def plan_followup(self, form: dict):
        return await self._act(workflow.plan_followup, "mediation.staff.followup_planned",
                               followup_on=text_of(form, "followup_on", 10))

    @rx.event
    async def record_followup(self, form: dict):
        return await self._act(workflow.record_followup, "mediation.staff.followup_recorded",
                               note=text_of(form, "note", 1100), channel=text_of(form, "channel", 10) or "visit")

    @rx.event
    async def reopen(self, form: dict):
        return await self._act(workflow.reopen_case, "mediation.staff.reopened", reason=text_of(form, "reason", 600),
                               party_id=parse_id(text_of(form, "party", 20)),
                               channel=text_of(form, "channel", 10) or "app")


def text_of(form, name: str, n: int = 2100) -> str:
    value = form.get(name, "") if isinstance(form, dict) else ""
    return value[:n] if isinstance(value, str) else ""
