"""议事: the community's topics, one topic (comments, the poll, the decision) and opening a
topic. The same states serve residents and staff: the service says who may comment, vote or
decide (``can_*``), and checks it again on every action."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from community_app import routes
from community_app.services.mediation import topics
from community_app.services.mediation.parties import compounds, home_of
from community_app.state.base import parse_id
from community_app.state.mediation.base import MediationBase


@dataclass
class TopicRowView:
    id: int = 0
    href: str = ""
    title: str = ""
    status: str = ""
    status_label: str = ""
    area: str = ""
    when: str = ""
    comments: str = ""
    affects_me: bool = False


@dataclass
class TopicCard:
    id: int = 0
    title: str = ""
    body: str = ""
    status: str = ""
    status_label: str = ""
    area: str = ""
    opened: str = ""
    poll_question: str = ""
    voters: str = ""
    decision: str = ""
    decided: str = ""
    affects_me: bool = False
    can_comment: bool = False
    can_vote: bool = False
    can_decide: bool = False


@dataclass
class OptionRow:
    id: int = 0
    label: str = ""
    votes: str = ""
    pct: int = 0
    mine: bool = False


@dataclass
class CommentRow:
    author: str = ""
    staff: bool = False
    body: str = ""
    at: str = ""


class TopicBase(MediationBase):
    def _area(self, compound: str, buildings: list[str]) -> str:
        if not compound:
            return self._t("mediation.topic.area_all")
        if not buildings:
            return self._t("mediation.topic.area_compound", compound=compound)
        sep = self._t("mediation.topic.building_sep")
        return self._t("mediation.topic.area_buildings", compound=compound,
                       buildings=sep.join(self._t("mediation.topic.building", b=b) for b in buildings))


class TopicsState(TopicBase):
    rows: list[TopicRowView] = []
    loaded: bool = False

    @rx.event
    async def load(self):
        out = await self._run(topics.list_topics)
        if not out.ok:
            return self._refused(out)
        zone = self._zone("")
        link = routes.staff_topic if (self.router.url.path or "").startswith("/staff") else routes.topic
        self.rows = [TopicRowView(
            id=r.id, href=link(r.id), title=r.title, status=r.status,
            status_label=self._t(f"mediation.topic.status.{r.status}"), area=self._area(r.compound, r.buildings),
            when=self._when(r.created_at, zone), comments=self._t("mediation.topic.comments_n", n=r.comments),
            affects_me=r.affects_me) for r in out.value]
        self.loaded = True
        return None


class TopicState(TopicBase):
    loaded: bool = False
    found: bool = False
    load_error: str = ""
    t: TopicCard = TopicCard()
    options: list[OptionRow] = []
    comments: list[CommentRow] = []
    errors: dict[str, str] = {}
    busy: bool = False
    decide_open: bool = False

    def _topic_id(self) -> int | None:
        return parse_id((self.router.url.path or "").rstrip("/").rsplit("/", 1)[-1])

    def _fill(self, v: topics.TopicView) -> None:
        zone = self._zone("")
        total = max(1, v.voters)
        self.t = TopicCard(
            id=v.id, title=v.title, body=v.body, status=v.status,
            status_label=self._t(f"mediation.topic.status.{v.status}"), area=self._area(v.compound, v.buildings),
            opened=self._t("mediation.topic.opened", name=v.opened_by, when=self._when(v.created_at, zone)),
            poll_question=v.poll_question, voters=self._t("mediation.topic.voters", n=v.voters), decision=v.decision,
            decided=self._when(v.decided_at, zone), affects_me=v.affects_me, can_comment=v.can_comment,
            can_vote=v.can_vote, can_decide=v.can_decide)
        self.options = [OptionRow(o.id, o.label, self._t("mediation.topic.votes_n", n=o.votes),
                                  round(100 * o.votes / total), o.mine) for o in v.options]
        self.comments = [CommentRow(c.author, c.staff, c.body, self._when(c.at, zone)) for c in v.comments]

    async def _refresh(self):
        tid = self._topic_id()
        out = await self._run(topics.topic_view, topic_id=tid or 0)
        if out.ok:
            self._fill(out.value)
            self.found = True
        return out

    @rx.event
    async def load(self):
        self.found, self.load_error, self.errors, self.busy, self.decide_open = False, "", {}, False, False
        out = await self._refresh()
        self.loaded = True
        if not out.ok:
            if out.signed_out:
                return self._refused(out)
            self.load_error = self._error_text(out.error)
        return None

    async def _act(self, fn, ok_key: str, *, clear: str = "", **kwargs):
        tid = self._topic_id()
        if self.busy or tid is None or tid != self.t.id:
            return None
        self.busy = True
        out = await self._run(fn, write=True, topic_id=tid, **kwargs)
        self.busy = False
        if not out.ok:
            if out.field and not out.signed_out and out.field != "option_id":
                self.errors, _ = self._form_errors(out.error)
                return None
            return self._refused(out)
        self.errors, self.decide_open = {}, False
        await self._refresh()
        done = rx.toast.success(self._t(ok_key), position="top-center")
        return [done, rx.set_value(clear, "")] if clear else done

    @rx.event
    async def vote(self, option_id: int):
        oid = parse_id(option_id)
        if oid is None:
            return None
        return await self._act(topics.vote, "mediation.topic.voted", option_id=oid)

    @rx.event
    async def submit_comment(self, form: dict):
        body = form.get("body", "") if isinstance(form, dict) else ""
        return await self._act(topics.comment, "mediation.topic.commented", clear="f-body",
                               body=body if isinstance(body, str) else "")

    @rx.event
    def open_decide(self):
        if self.t.can_decide:
            self.decide_open = True

    @rx.event
    def close_decide(self):
        self.decide_open = False

    @rx.event
    async def submit_decision(self, form: dict):
        text = form.get("decision", "") if isinstance(form, dict) else ""
        return await self._act(topics.decide, "mediation.topic.decided", decision=text if isinstance(text, str) else "")


class NewTopicState(TopicBase):
    loaded_key: str = ""
    compound_options: list[dict[str, str]] = []
    compound_id: str = ""
    buildings_default: str = ""
    staff_mode: bool = False
    errors: dict[str, str] = {}
    message: str = ""
    busy: bool = False

    @rx.event
    async def load(self):
        self.errors, self.message, self.busy = {}, "", False
        self.staff_mode = (self.router.url.path or "").startswith("/staff")

        def work(s, a):
            home = home_of(s, a) if a.resident_id is not None else None
            return compounds(s, a), home

        out = await self._run(work)
        if not out.ok:
            return self._refused(out)
        options, home = out.value
        if self.staff_mode:
            self.compound_options = [{"id": "", "name": self._t("mediation.topic.area_all")}] + [
                {"id": str(i), "name": n} for i, n in options]
            self.compound_id, self.buildings_default = "", ""
        else:
            mine = [(i, n) for i, n in options if home and i == home.compound_id]
            self.compound_options = [{"id": str(i), "name": n} for i, n in mine]
            self.compound_id = str(home.compound_id) if home else ""
            self.buildings_default = home.building if home else ""
        self.loaded_key = f"{self.compound_id}-{self.buildings_default}-{len(options)}"
        return None

    @rx.event
    def set_compound(self, value: str):
        if value in {o["id"] for o in self.compound_options}:
            self.compound_id = value

    @rx.event
    async def submit(self, form: dict):
        if self.busy or not isinstance(form, dict):
            return

        def text(name, n=2100):
            v = form.get(name, "")
            return v[:n] if isinstance(v, str) else ""
        options = [text(f"option{i}", 80) for i in range(1, 6)]
        self.busy, self.errors, self.message = True, {}, ""
        yield
        out = await self._run(topics.open_topic, write=True, title=text("title", 120), body=text("body"),
                              compound_id=parse_id(self.compound_id), buildings=text("buildings", 120),
                              poll_question=text("poll_question", 220), options=[o for o in options if o.strip()])
        self.busy = False
        if not out.ok:
            if out.signed_out or (not out.field and out.error is not None and out.error.key.endswith("not_your_area")):
                yield self._refused(out)
                return
            self.errors, self.message = self._form_errors(out.error)
            return
        link = routes.staff_topic if self.staff_mode else routes.topic
        yield rx.redirect(link(out.value.id))
        yield rx.toast.success(self._t("mediation.topic.opened_toast"), position="top-center")
