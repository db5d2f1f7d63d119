"""我的调解: the resident's cases, and one case as its party sees it (the shared timeline and
their own private channel with the mediator, never the other side's): add a statement with
photos, write to the mediator privately, ask to reopen a closed case."""

from __future__ import annotations

from dataclasses import dataclass, field

import reflex as rx

from community_app.routes import mediation_case
from community_app.services.mediation import updates, views, workflow
from community_app.state.base import parse_id
from community_app.state.mediation.base import CATEGORY_ICONS, STATUS_ICONS, MediationBase, StepRow
from community_app.state.mediation.photos import PhotoFormMixin


@dataclass
class CaseRow:
    id: int = 0
    href: str = ""
    number: str = ""
    category: str = ""
    icon: str = ""
    title: str = ""
    status: str = ""
    status_label: str = ""
    status_icon: str = ""
    other: str = ""
    last: str = ""
    quiet: str = ""
    session: str = ""


@dataclass
class CaseCard:
    id: int = 0
    number: str = ""
    category: str = ""
    icon: str = ""
    title: str = ""
    status: str = ""
    status_label: str = ""
    status_icon: str = ""
    filed: str = ""
    since: str = ""
    description: str = ""
    facts_hidden: bool = False
    contact_times: str = ""
    my_role: str = ""
    other: str = ""
    mediator: str = ""
    quiet: str = ""
    outcome: str = ""
    outcome_label: str = ""
    responsibility: str = ""
    responsibility_note: str = ""
    agreement: str = ""
    remedy: str = ""
    followup: str = ""
    reopen_until: str = ""
    reopen_requested: bool = False
    can_write: bool = False
    can_request_reopen: bool = False


@dataclass
class SessionRow:
    id: int = 0
    when: str = ""
    location: str = ""
    status: str = ""
    status_label: str = ""
    note: str = ""
    day_cancelled: bool = False
    can_cancel: bool = False
    can_record: bool = False
    extra: list[str] = field(default_factory=list)


class MyCasesState(MediationBase):
    rows: list[CaseRow] = []
    loaded: bool = False
    load_error: str = ""

    @rx.event
    async def load(self):
        self.load_error = ""
        out = await self._run(views.my_cases)
        if not out.ok:
            if out.signed_out:
                return self._refused(out)
            self.load_error = self._error_text(out.error)
            self.loaded = True
            return None
        rows = []
        for c in out.value:
            zone = self._zone(c.timezone)
            rows.append(CaseRow(
                id=c.id, href=mediation_case(c.id), number=c.number, category=self._category(c.category),
                icon=CATEGORY_ICONS.get(c.category, "circle-help"),
                title=c.title or self._t("mediation.facts_private_short"), status=c.status,
                status_label=self._status_label(c.status), status_icon=STATUS_ICONS.get(c.status, "circle"),
                other=self._t("mediation.list.other", name=c.other_name) if c.other_name else "",
                last=self._t("mediation.list.last", when=self._when(c.last_at, zone)),
                quiet=self._quiet_text(c.days_quiet),
                session=self._t("mediation.list.session", when=self._when(c.next_session, zone))
                if c.next_session else ""))
        self.rows = rows
        self.loaded = True
        return None


class CaseState(PhotoFormMixin, MediationBase):
    loaded: bool = False
    found: bool = False
    load_error: str = ""
    c: CaseCard = CaseCard()
    steps: list[StepRow] = []
    sessions: list[SessionRow] = []
    form: str = ""  # "statement" / "private" / "reopen" / ""
    errors: dict[str, str] = {}
    busy: bool = False

    def _case_id(self) -> int | None:
        return parse_id((self.router.url.path or "").rstrip("/").rsplit("/", 1)[-1])

    def _fill(self, v: views.CaseView) -> None:
        zone = self._zone(v.timezone)
        me = next((p for p in v.parties if p.is_me), None)
        others = [p.name or p.address for p in v.parties if not p.is_me]
        names = {p.id: (p.name or p.address) for p in v.parties}
        self.c = CaseCard(
            id=v.id, number=v.number, category=self._category(v.category),
            icon=CATEGORY_ICONS.get(v.category, "circle-help"), title=v.title, status=v.status,
            status_label=self._status_label(v.status), status_icon=STATUS_ICONS.get(v.status, "circle"),
            filed=self._when(v.created_at, zone), since=self._date(v.since), description=v.description,
            facts_hidden=v.facts_hidden, contact_times=v.contact_times,
            my_role=self._t(f"mediation.role.{me.role}") if me else "", other=self._t("english.list_sep").join(others),
            mediator=v.mediator_name, quiet=self._quiet_text(v.days_quiet), outcome=v.outcome,
            outcome_label=self._t(f"mediation.outcome.{v.outcome}") if v.outcome else "",
            responsibility=self._t(f"mediation.resp.{v.responsibility}") if v.responsibility else "",
            responsibility_note=v.responsibility_note, agreement=v.agreement, remedy=v.remedy,
            followup=self._date(v.followup_on), reopen_until=self._when(v.reopen_until, zone),
            reopen_requested=v.reopen_requested, can_write=v.can_write, can_request_reopen=v.can_request_reopen)
        self.steps = [self._step_row(st, zone, party_names=names, staff=False) for st in reversed(v.steps)]
        self.sessions = [SessionRow(id=s.id, when=self._when(s.starts_at, zone), location=s.location, status=s.status,
                                    status_label=self._t(f"mediation.session.{s.status}"),
                                    day_cancelled=s.day_cancelled) for s in v.sessions]

    async def _refresh(self):
        cid = self._case_id()
        out = await self._run(views.party_view, case_id=cid if cid is not None else 0)
        if not out.ok:
            return out
        self._fill(out.value)
        self.found = True
        return out

    @rx.event
    async def load(self):
        self.form, self.errors, self.busy, self.found, self.load_error = "", {}, False, False, ""
        self._drop_photos()
        out = await self._refresh()
        self.loaded = True
        if not out.ok:
            if out.signed_out:
                return self._refused(out)
            self.load_error = self._error_text(out.error)
        return None

    @rx.event
    def open_form(self, kind: str):
        if kind in ("statement", "private", "reopen"):
            self.form = kind
            self.errors = {}

    @rx.event
    def close_form(self):
        self.form = ""
        self.errors = {}
        self._drop_photos()

    async def _submit(self, fn, ok_key: str, **kwargs):
        if self.busy:
            return None
        cid = self._case_id()
        if cid is None or cid != self.c.id:
            return None
        self.busy = True
        out = await self._run(fn, write=True, case_id=cid, **kwargs)
        self.busy = False
        if not out.ok:
            if out.signed_out or not out.field:
                return self._refused(out)
            if out.field == "photos":
                self.photo_error = self._error_text(out.error)
            else:
                self.errors, _ = self._form_errors(out.error)
            return None
        self.form, self.errors = "", {}
        self._drop_photos()
        await self._refresh()
        return rx.toast.success(self._t(ok_key), position="top-center")

    @rx.event
    async def submit_statement(self, form: dict):
        text = form.get("text", "") if isinstance(form, dict) else ""
        try:
            photos = self._photo_payload()
        except OSError:
            self._drop_photos()
            self.photo_error = self._t("mediation.photo_lost")
            return None
        return await self._submit(updates.add_statement, "mediation.statement.sent",
                                  text=text if isinstance(text, str) else "", photos=photos)

    @rx.event
    async def submit_private(self, form: dict):
        text = form.get("text", "") if isinstance(form, dict) else ""
        return await self._submit(updates.send_private, "mediation.private.sent",
                                  text=text if isinstance(text, str) else "")

    @rx.event
    async def submit_reopen(self, form: dict):
        reason = form.get("reason", "") if isinstance(form, dict) else ""
        return await self._submit(workflow.request_reopen, "mediation.reopen.sent",
                                  reason=reason if isinstance(reason, str) else "")
