"""Issue 12 items 4 and 5: numbers as people type them (one function, libphonenumber's rules),
explicit length refusals, one reason per password rule, and the community's phone."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from community_app.i18n import t
from community_app.models import Account, AuditLog, CaseParty, Community
from community_app.services import auth, hotline, signin
from community_app.services.errors import AuthError, Conflict, NotAllowed, ValidationError
from community_app.services.mediation import cases
from community_app.services.mediation.parties import PartyInput
from community_app.services.phone import clean_phone, fold, search_digits, tel_href
from community_app.services.register.fields import clean_mobile
from tests.conftest import sign_up_with_code

MIXED = "１３７0000５６７8"  # full-width and ASCII digits mixed, as a Chinese IME leaves them


# --------------------------------------------------------------------------- the one function


@pytest.mark.parametrize("typed", [
    "13700005678", MIXED, "１３７００００５６７８", "137 0000 5678", "137-0000-5678", "+86 137 0000 5678",
    "＋８６１３７００００５６７８", "0086 13700005678", "(+86) 137-0000-5678", " 13700005678\u3000",
    "١٣٧٠٠٠٠٥٦٧٨",  # digits of another script
])
def test_a_mobile_is_stored_as_its_11_digits_however_it_was_typed(typed):
    assert clean_phone(typed, field="mobile", kind="mobile") == "13700005678"


@pytest.mark.parametrize("typed,stored", [
    ("0311-86120001", "0311-86120001"), ("(0311) 8612 0001", "0311-86120001"), ("０３１１－８６１２０００１", "0311-86120001"),
    ("+86 311 8612 0001", "0311-86120001"), ("010 6552 9988", "010-65529988"), ("02162345678", "021-62345678"),
    ("13912345678", "13912345678"),
])
def test_a_phone_may_be_a_landline_with_its_area_code(typed, stored):
    assert clean_phone(typed, field="phone") == stored


@pytest.mark.parametrize("typed", [
    "12345", "1370000567", "137000056789", "12300000000", "10800000000", "1370000567a", "0311-861", "+1 650 253 0000",
    "137.0000.5678 ext 3", "tel:13700005678", "1" * 60, "13700005678\x00",
])
def test_what_is_no_chinese_number_is_refused_with_the_field(typed):
    with pytest.raises(ValidationError) as e:
        clean_phone(typed, field="f_phone")
    assert (e.value.key, e.value.field) == ("phone.error.phone_invalid", "f_phone")


def test_a_landline_is_no_mobile_and_a_400_number_only_a_hotline():
    with pytest.raises(ValidationError) as e:
        clean_phone("0311-86120001", field="mobile", kind="mobile")
    assert e.value.key == "phone.error.mobile_invalid"
    with pytest.raises(ValidationError):
        clean_phone("400-810-8888", field="phone")
    assert clean_phone("400-810-8888", field="hotline", kind="hotline") == "4008108888"


def test_empty_is_allowed_unless_required_and_non_text_is_invalid():
    assert clean_phone("", field="p") == "" and clean_phone(None, field="p") == "" and clean_phone(" - ", field="p") == ""
    with pytest.raises(ValidationError) as e:
        clean_phone("  ", field="p", required_key="auth.error.mobile_required")
    assert e.value.key == "auth.error.mobile_required"
    for bad in (13700005678, ["13700005678"], {"a": 1}):
        with pytest.raises(ValidationError) as e:
            clean_phone(bad, field="p")
        assert e.value.key == "error.invalid"
    with pytest.raises(ValueError):
        clean_phone("13700005678", field="p", kind="fax")


def test_tel_links_and_search_digits():
    assert tel_href("0311-86120001") == "tel:+8631186120001"
    assert tel_href("13700005678") == "tel:+8613700005678"
    assert tel_href("") == "" and tel_href("not a number") == "" and tel_href("0311 861-2") == "tel:03118612"
    assert tel_href("12345") == "tel:12345"  # a short number: callable, unknown to the rules
    assert search_digits("＋８６ １３７0000") == "1370000" and fold("0086 137") == "+86137"


# --------------------------------------------------------------------------- sign-up and sign-in


def _signup(db, world, mobile, password="plum blossom 88", name="赵桂兰"):
    return sign_up_with_code(db, mobile=mobile, password=password, name=name, community_id=world.community_id,
                             address=auth.Address(world.compound_id, "5", "2", "301"))


def test_a_mixed_full_width_mobile_signs_up_normalised_and_signs_in_typed_any_way(db, world):
    acc = _signup(db, world, MIXED)
    assert acc.mobile == "13700005678"
    for typed in ("13700005678", MIXED, "+86 137-0000-5678", "１３７００００５６７８"):
        assert signin.sign_in(db, mobile=typed, password="plum blossom 88")


def test_an_all_full_width_mobile_signs_up(db, world):
    assert _signup(db, world, "１３７００００５６７８").mobile == "13700005678"


def test_sign_in_with_no_real_mobile_gets_the_usual_answer(db, world):
    for typed in ("12345", "1380000000１x", "１" * 30):
        with pytest.raises(AuthError) as e:
            signin.sign_in(db, mobile=typed, password=world.password)
        assert e.value.key == "auth.error.bad_credentials"


def test_a_mobile_already_taken_is_found_however_it_is_typed(db, world):
    with pytest.raises(Conflict) as e:
        _signup(db, world, "１３８-0000-0001")  # world.resident's mobile
    assert e.value.key == "auth.error.mobile_taken"


def test_the_bad_mobile_message_does_not_mislead():
    with pytest.raises(ValidationError) as e:
        auth.validate_mobile("12300000000")
    assert e.value.key == "phone.error.mobile_invalid"
    assert "1开头" not in t(e.value.key)


# --------------------------------------------------------------------------- lengths and passwords


def test_a_40_character_name_is_refused_with_its_count_never_cut(db, world):
    with pytest.raises(ValidationError) as e:
        _signup(db, world, "13700005678", name="王" * 40)
    assert (e.value.key, e.value.field, e.value.params) == ("input.error.name_long", "name", {"n": 32, "count": 40})
    assert "40" in t(e.value.key, **e.value.params) and "32" in t(e.value.key, **e.value.params)
    assert db.exec(select(Account).where(Account.mobile == "13700005678")).first() is None
    assert _signup(db, world, "13700005678", name="王" * 32).display_name == "王" * 32


@pytest.mark.parametrize("password,key", [
    ("short", "auth.error.password_short"),
    ("x" * 257, "auth.error.password_long"),
    ("my13700005678pw", "password.error.has_mobile"),
    ("my１３７００００５６７８pw", "password.error.has_mobile"),  # typed full-width
    ("13700005678", "password.error.has_mobile"),  # the mobile itself, not "too common"
    ("zzzzzzzzzz", "password.error.one_char"),
    ("password", "auth.error.password_common"),
    ("12345678", "auth.error.password_common"),
])
def test_each_password_rule_gives_its_own_reason(db, world, password, key):
    with pytest.raises(ValidationError) as e:
        _signup(db, world, MIXED, password=password)
    assert (e.value.key, e.value.field) == (key, "password")
    texts = {t(k, n=8) for k in ("auth.error.password_short", "password.error.has_mobile", "password.error.one_char",
                                 "auth.error.password_common")}
    assert len(texts) == 4


# --------------------------------------------------------------------------- other number fields


def test_the_register_reads_typed_and_sheet_mobiles():
    assert clean_mobile("１３７ 0000 ５６７８") == "13700005678"
    assert clean_mobile(13700005678) == "13700005678"  # a sheet cell formatted as a number
    assert clean_mobile("  ") is None
    with pytest.raises(ValidationError) as e:
        clean_mobile("12300000000")
    assert e.value.key == "register.error.mobile_invalid"


def test_a_mediation_party_phone_is_normalised_or_refused(db, world):
    case = cases.file_case_for(db, world.staff, applicant=PartyInput(name="赵桂兰", address="5号楼", phone="０３１１-８６１２ 0009"),
                               respondent=PartyInput(name="赵建军", address="2号楼", phone="+86 139-1234-5678"),
                               category="other", description="邻里纠纷", privacy_ack=True)
    rows = db.exec(select(CaseParty).where(CaseParty.case_id == case.id)).all()
    phones = {p.name: p.phone for p in rows}
    assert phones == {"赵桂兰": "0311-86120009", "赵建军": "13912345678"}
    with pytest.raises(ValidationError) as e:
        cases.file_case_for(db, world.staff, applicant=PartyInput(name="a", address="b", phone="12345"),
                            respondent=PartyInput(name="c", address="d"), category="other", description="x",
                            privacy_ack=True)
    assert (e.value.key, e.value.field) == ("mediation.error.phone_invalid", "applicant_phone")


# --------------------------------------------------------------------------- the community's phone


def test_staff_set_the_hotline_as_typed_and_it_is_audited(db, world):
    view = hotline.set_hotline(db, world.staff, community_id=world.community_id, hotline="（0311）8612 0001")
    assert (view.phone, view.href, view.can_edit) == ("0311-86120001", "tel:+8631186120001", True)
    assert db.get(Community, world.community_id).hotline == "0311-86120001"
    row = db.exec(select(AuditLog).where(AuditLog.action == "community.set_hotline")).one()
    assert json.loads(row.detail) == {"before": "", "after": "0311-86120001"}
    assert row.community_id == world.community_id and row.actor_account_id == world.staff.account_id
    # the same number again changes nothing and logs nothing
    hotline.set_hotline(db, world.staff, community_id=world.community_id, hotline="0311-86120001")
    assert len(db.exec(select(AuditLog).where(AuditLog.action == "community.set_hotline")).all()) == 1
    seen = hotline.community_hotline(db, world.resident)
    assert (seen.phone, seen.href, seen.can_edit) == ("0311-86120001", "tel:+8631186120001", False)
    assert [h.phone for h in hotline.public_hotlines(db)] == ["0311-86120001"]


def test_setting_the_hotline_is_refused_to_residents_other_communities_and_bad_numbers(db, world):
    for actor in (world.resident, None):
        with pytest.raises(NotAllowed):
            hotline.set_hotline(db, actor, community_id=world.community_id, hotline="0311-86120001")
    with pytest.raises(NotAllowed):
        hotline.set_hotline(db, world.other_staff, community_id=world.community_id, hotline="0311-86120001")
    for bad in ("12345", "0311-861", "x" * 50, 3118612):
        with pytest.raises(ValidationError) as e:
            hotline.set_hotline(db, world.staff, community_id=world.community_id, hotline=bad)
        assert e.value.field == "hotline"
    assert db.get(Community, world.community_id).hotline == ""
    assert db.exec(select(AuditLog).where(AuditLog.action == "community.set_hotline")).first() is None


def test_the_hotline_can_be_cleared_and_a_400_number_set(db, world):
    hotline.set_hotline(db, world.staff, community_id=world.community_id, hotline="400 810 8888")
    assert hotline.community_hotline(db, world.staff).href == "tel:+864008108888"
    assert hotline.set_hotline(db, world.staff, community_id=world.community_id, hotline=" ").phone == ""
    assert hotline.public_hotlines(db) == []
