"""English complete (issue 12 item 6): service types carry an English name and description that
readers in English see (lists, the booking, notifications, staff pages), page titles in English,
and English texts without Chinese except names of people and places."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from alembic import command
from sqlmodel import select

from community_app.i18n import Named, catalogue, t
from community_app.models import AuditLog
from community_app.services import booking
from community_app.services import catalogue as cat
from community_app.services.catalogue.defaults import DEFAULTS, ensure_default_catalogue
from community_app.services.errors import NotAllowed, ValidationError
from tests.conftest import alembic_config
from tests.factories import add_resident, make_day, notes_of, request_type, slot_type

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")

# English texts that name a place (the examples of an address), the language switch (a reader
# who cannot read English must find 中文 / 语言), or what another app shows (the authenticator's
# entry is named 邻里通): nothing else in English may hold Chinese.
EN_KEYS_WITH_CHINESE = {
    "me.language",  # "Language / 语言"
    "cli.help.seed_demo",  # the demo communities' names
    "mediation.f.other_address_ph", "request.error.location_required", "request.f.location_ph",  # 南院
    "trust.totp.help",  # the authenticator app lists the account under 邻里通
}


def test_english_catalogue_has_no_chinese_except_names():
    en = catalogue("en")
    with_chinese = {k for k, v in en.items() if CJK.search(v)}
    assert with_chinese <= EN_KEYS_WITH_CHINESE, sorted(with_chinese - EN_KEYS_WITH_CHINESE)


def test_named_values_are_put_in_the_readers_language():
    name = Named("义剪", "Free haircuts")
    assert name == "义剪" and isinstance(name, str)
    assert t("eligibility.only_for", "en", service=name, who="x").startswith("Free haircuts ")
    assert t("eligibility.only_for", "zh_CN", service=name, who="x").startswith("义剪")
    assert Named("义剪").in_locale("en") == "义剪"  # no English name: the Chinese one


# --------------------------------------------------------------------------- the catalogue


def test_staff_set_the_english_name_and_description_audited(db, world):
    stype = request_type(db, world.staff, name_en=" Appliance repair ", description_en="TVs and fans.")
    assert stype.name_en == "Appliance repair" and stype.description_en == "TVs and fans."
    assert stype.name_in("en") == "Appliance repair" and stype.name_in("zh_CN") == "家电维修"
    cat.update_service_type(db, world.staff, service_type_id=stype.id, name_en="Repairs at home")
    db.refresh(stype)
    assert stype.name_en == "Repairs at home" and stype.name == "家电维修"
    log = db.exec(select(AuditLog).where(AuditLog.action == "service_type.update")).one()
    assert "Repairs at home" in log.detail
    # Emptied: English readers see the Chinese name again.
    cat.update_service_type(db, world.staff, service_type_id=stype.id, name_en="  ")
    db.refresh(stype)
    assert stype.name_en == "" and stype.name_in("en") == "家电维修"


@pytest.mark.parametrize("field,value", [("name_en", "x" * 65), ("description_en", "x" * 501)])
def test_an_over_long_english_name_is_refused_with_a_message(db, world, field, value):
    with pytest.raises(ValidationError) as err:
        request_type(db, world.staff, **{field: value})
    assert err.value.field == field and err.value.key == "catalogue.error.too_long"
    stype = request_type(db, world.staff, code="other")
    with pytest.raises(ValidationError) as err:
        cat.update_service_type(db, world.staff, service_type_id=stype.id, **{field: value})
    assert err.value.field == field
    db.refresh(stype)
    assert stype.name_en == "" and stype.description_en == ""  # nothing half-done


def test_only_staff_of_the_community_set_the_english_name(db, world):
    stype = request_type(db, world.staff)
    for actor in (world.resident, world.other_staff):
        with pytest.raises(NotAllowed):
            cat.update_service_type(db, actor, service_type_id=stype.id, name_en="Mine")
    db.refresh(stype)
    assert stype.name_en == ""


def test_residents_see_the_service_in_their_language(db, world):
    request_type(db, world.staff, name_en="Appliance repair", description_en="TVs and fans.")
    request_type(db, world.staff, code="no_english", name="修自行车")
    reader = add_resident(db, world.community_id, "Emma", "13811112222", locale="en")
    en = {o.code: o for o in cat.offered_services(db, reader)}
    zh = {o.code: o for o in cat.offered_services(db, world.resident)}
    assert (en["repair"].name, en["repair"].description) == ("Appliance repair", "TVs and fans.")
    assert zh["repair"].name == "家电维修"
    assert en["no_english"].name == "修自行车"  # none set: the Chinese name rather than nothing


def test_bookings_and_notifications_name_the_service_in_the_readers_language(db, world):
    stype = slot_type(db, world.staff, name_en="Free haircuts", location="老年活动中心")
    _, slots = make_day(db, stype)
    reader = add_resident(db, world.community_id, "Emma", "13811112222", locale="en")
    booking.book_slot(db, reader, slot_id=slots[0].id)
    booking.book_slot(db, world.resident, slot_id=slots[1].id)
    assert [b.service_name for b in booking.my_bookings(db, reader)] == ["Free haircuts"]
    assert [b.service_name for b in booking.my_bookings(db, world.resident)] == ["义剪"]
    english, chinese = notes_of(db, reader), notes_of(db, world.resident)
    assert english and english[-1].body.startswith("Free haircuts: ")  # "...at 老年活动中心" (a place)
    assert not CJK.search(english[-1].title) and not CJK.search(english[-1].body.replace("老年活动中心", ""))
    assert chinese[-1].body.startswith("义剪")
    # Staff reading English see the English name in the queue too.
    staff_en = type(world.staff)(**{**world.staff.__dict__, "locale": "en"})
    queue = booking.staff_queue(db, staff_en)
    assert {it.service_name for it in queue.items} == {"Free haircuts"}


def test_the_standard_catalogue_comes_with_english_names(db, world):
    created = ensure_default_catalogue(db, world.community_id)
    assert len(created) == len(DEFAULTS)
    for stype in created:
        assert stype.name_en and stype.description_en, stype.code
        assert not CJK.search(stype.name_en + stype.description_en), stype.code


def test_the_migration_fills_the_standard_types_english_names(sqlite_url):
    cfg = alembic_config(sqlite_url)
    command.downgrade(cfg, "0200")
    engine = sa.create_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO community (id, code, name, sub_district, timezone, address, hotline, created_at) "
                             "VALUES (99, 'm', '测试社区', '', 'Asia/Shanghai', '', '', '2026-01-01')"))
        for code, name in (("yijian", "义剪（理发摊）"), ("plumbing", "修水管"), ("own", "自己的服务")):
            conn.execute(sa.text(
                "INSERT INTO servicetype (community_id, code, name, description, kind, category, icon, home_visit, "
                "staff_only, eligible_care, cancel_cutoff_minutes, contact_phone, location, active, created_at) "
                "VALUES (99, :code, :name, '', 'slot', 'other', 'wrench', 0, 0, '', 120, '', '', 1, '2026-01-01')"),
                dict(code=code, name=name))
    command.upgrade(cfg, "head")
    with engine.connect() as conn:
        names = dict(conn.execute(sa.text("SELECT code, name_en FROM servicetype WHERE community_id = 99")).all())
    engine.dispose()
    # The standard type gets its English name; one staff renamed, or their own, is left to staff.
    assert names == {"yijian": "Free haircuts (street barber)", "plumbing": "", "own": ""}


# --------------------------------------------------------------------------- page titles


def test_every_page_has_an_english_title():
    from community_app.community_app import app
    from community_app.page_titles import title_key

    pages = app._unevaluated_pages
    assert len(pages) > 60
    missing = sorted(route for route in pages if title_key(route) not in catalogue("en"))
    assert missing == []
    for route in pages:
        english = t(title_key(route), "en")
        assert english.endswith("Neighbourly") and not CJK.search(english), route
    # The page's own (Chinese) title stays what the Chinese reader sees.
    title = str(pages["login"].title).encode().decode("unicode_escape")
    assert "登录 · 邻里通" in title and "Sign in · Neighbourly" in title and "locale" in title

