"""Sign-up proves the mobile (issue 7, point 1): nobody adopts someone else's register entry,
and sign-up never says whether a mobile is in the register."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import select

from community_app.models import Account, PhoneCode, Resident, utcnow
from community_app.services import auth, mobile_codes, sms
from community_app.services.errors import Conflict, LockedOut, ValidationError
from tests.conftest import RecordingSender, sign_up_with_code


def _form(world, mobile="13700000009", name="赵桂兰", code="", **kw):
    return dict(mobile=mobile, code=code, password="plum blossom 88", name=name,
                community_id=world.community_id, address=auth.Address(world.compound_id, "5", "2", "301"), **kw)


def _register_entry(db, world, mobile="13700000009", name="赵桂兰") -> Resident:
    r = Resident(community_id=world.community_id, name=name, mobile=mobile, birth_year=1945,
                 note="独居；低保")
    db.add(r)
    db.commit()
    return r


def _age_codes(db, mobile, **delta):
    """As if time had passed since the codes to ``mobile`` were sent."""
    for row in db.exec(select(PhoneCode).where(PhoneCode.mobile == mobile)).all():
        row.created_at = row.created_at - timedelta(**delta)
        db.add(row)
    db.commit()


def test_sign_up_without_the_code_of_the_mobile_adopts_nothing(db, world):
    entry = _register_entry(db, world)
    for code in ("", "000000", "12345", "１２３４５６", None, 123456):
        with pytest.raises(ValidationError) as e:
            auth.sign_up(db, **_form(world, code=code))
        assert e.value.field == "code"
    assert db.exec(select(Account).where(Account.mobile == "13700000009")).first() is None
    db.refresh(entry)
    assert db.exec(select(Account).where(Account.resident_id == entry.id)).first() is None


def test_a_code_sent_to_someone_else_does_not_prove_this_mobile(db, world):
    _register_entry(db, world)
    sender = RecordingSender()
    auth.send_signup_code(db, mobile="13700000008", sender=sender)  # the attacker's own phone
    with pytest.raises(ValidationError):
        auth.sign_up(db, **_form(world, code=sender.code_for("13700000008")))


def test_the_register_entry_is_linked_after_the_proof(db, world):
    entry = _register_entry(db, world)
    account = sign_up_with_code(db, **{k: v for k, v in _form(world).items() if k != "code"})
    assert account.resident_id == entry.id


def test_sending_a_code_answers_the_same_whatever_the_mobile(db, world):
    _register_entry(db, world, mobile="13700000009")  # in the register, no account
    _age_codes(db, "13800000001", hours=2)  # the world's own sign-up code
    answers = []
    for mobile in ("13700000009", "13800000001", "13611112222"):  # register / account / nobody
        sender = RecordingSender()
        answers.append(auth.send_signup_code(db, mobile=mobile, sender=sender))
        assert len(sender.sent) == 1 and sender.sent[0][1].code.isdigit()
    assert len(set(answers)) == 1


def test_codes_are_stored_hashed_expire_allow_few_attempts_and_work_once(db, world):
    sender = RecordingSender()
    auth.send_signup_code(db, mobile="13700000009", sender=sender)
    code = sender.code_for("13700000009")
    row = db.exec(select(PhoneCode).where(PhoneCode.mobile == "13700000009")).one()
    assert code not in row.code_hash and len(row.code_hash) == 64
    # Wrong guesses spend the attempts, even though each sign-up attempt is rolled back.
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(mobile_codes.MAX_ATTEMPTS):
        with pytest.raises(ValidationError) as e:
            auth.sign_up(db, **_form(world, code=wrong))
        assert e.value.key == "trust.code.wrong"
    with pytest.raises(ValidationError) as e:  # now even the right code is refused
        auth.sign_up(db, **_form(world, code=code))
    assert e.value.key == "trust.code.expired"

    _age_codes(db, "13700000009", hours=2)
    auth.send_signup_code(db, mobile="13700000009", sender=sender)
    fresh = sender.code_for("13700000009")
    db.exec(update(PhoneCode).where(PhoneCode.used_at.is_(None)).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.commit()
    with pytest.raises(ValidationError) as e:
        auth.sign_up(db, **_form(world, code=fresh))
    assert e.value.key == "trust.code.expired"

    _age_codes(db, "13700000009", hours=2)
    auth.send_signup_code(db, mobile="13700000009", sender=sender)
    good = sender.code_for("13700000009")
    auth.sign_up(db, **_form(world, code=good))
    with pytest.raises(ValidationError):  # spent
        auth.sign_up(db, **_form(world, mobile="13700000009", code=good, name="另一个人"))


def test_a_form_error_does_not_spend_the_code(db, world):
    sender = RecordingSender()
    auth.send_signup_code(db, mobile="13700000009", sender=sender)
    code = sender.code_for("13700000009")
    bad = _form(world, code=code)
    bad["address"] = auth.Address(world.compound_id, "", "", "301")
    with pytest.raises(ValidationError) as e:
        auth.sign_up(db, **bad)
    assert e.value.field == "building"
    assert auth.sign_up(db, **_form(world, code=code)).mobile == "13700000009"


def test_existing_account_is_said_only_to_whoever_holds_the_phone(db, world):
    with pytest.raises(ValidationError):  # no code: nothing about the account
        auth.sign_up(db, **_form(world, mobile="13800000001", code="123456"))
    with pytest.raises(Conflict) as e:  # the code proves the phone: then it may be said
        sign_up_with_code(db, **{k: v for k, v in _form(world, mobile="13800000001").items() if k != "code"})
    assert e.value.key == "auth.error.mobile_taken"


def test_sending_is_limited_per_mobile_and_per_client(db, world):
    sender = RecordingSender()
    auth.send_signup_code(db, mobile="13700000009", client_key="ip:1.2.3.4", sender=sender)
    with pytest.raises(LockedOut) as e:  # one a minute
        auth.send_signup_code(db, mobile="13700000009", client_key="ip:1.2.3.4", sender=sender)
    assert e.value.key == "trust.code.wait" and e.value.field == "code"
    for _ in range(mobile_codes.MAX_PER_MOBILE - 1):
        _age_codes(db, "13700000009", seconds=61)
        auth.send_signup_code(db, mobile="13700000009", client_key="ip:1.2.3.4", sender=sender)
    _age_codes(db, "13700000009", seconds=61)
    with pytest.raises(LockedOut) as e:  # five an hour
        auth.send_signup_code(db, mobile="13700000009", client_key="ip:1.2.3.4", sender=sender)
    assert e.value.key == "trust.code.too_many"
    assert len(sender.sent) == mobile_codes.MAX_PER_MOBILE
    # One client asking for many mobiles.
    for i in range(mobile_codes.MAX_PER_CLIENT - mobile_codes.MAX_PER_MOBILE):
        auth.send_signup_code(db, mobile=f"136{i:08d}", client_key="ip:1.2.3.4",
                              sender=sender)
    with pytest.raises(LockedOut):
        auth.send_signup_code(db, mobile="13599999999", client_key="ip:1.2.3.4", sender=sender)
    auth.send_signup_code(db, mobile="13599999999", client_key="ip:9.9.9.9", sender=sender)


def test_bad_mobiles_are_refused_before_anything_is_sent(db, world):
    sender = RecordingSender()
    for mobile in ("", "12345", "1380000000a", "12300000000", "1370000000\x001", None, 13800000001):
        with pytest.raises(ValidationError) as e:
            auth.send_signup_code(db, mobile=mobile, sender=sender)
        assert e.value.field == "mobile"
    assert sender.sent == []


def test_console_backend_logs_the_message_masked_and_writes_the_test_outbox(db, world, tmp_path, monkeypatch, caplog):
    from community_app.settings import reset_settings

    outbox = tmp_path / "outbox.jsonl"
    monkeypatch.setenv("SMS_OUTBOX_FILE", str(outbox))
    monkeypatch.setenv("SMS_BACKEND", "console")
    reset_settings()
    caplog.set_level("WARNING", logger="community_app.sms")
    auth.send_signup_code(db, mobile="13700000009")
    line = json.loads(outbox.read_text().splitlines()[-1])
    assert line["mobile"] == "13700000009" and len(line["code"]) == 6
    assert "137****0009" in caplog.text and "13700000009" not in caplog.text
    assert oct(outbox.stat().st_mode & 0o777) == oct(0o600)


class FailingSender:
    def send(self, mobile, message):
        raise sms.SmsError("provider said no")


def test_a_provider_adapter_is_chosen_by_sms_backend_and_its_failure_is_a_form_error(db, world, monkeypatch):
    from community_app.settings import reset_settings

    monkeypatch.setenv("SMS_BACKEND", "tests.unit.test_mobile_proof:FailingSender")
    reset_settings()
    sms._load.cache_clear()
    assert isinstance(sms.get_sender(), FailingSender)
    with pytest.raises(ValidationError) as e:
        auth.send_signup_code(db, mobile="13700000009")
    assert e.value.key == "trust.code.send_failed" and e.value.field == "code"
    sms._load.cache_clear()


def test_staff_at_the_service_centre_link_the_register_entry_and_it_is_audited(db, world):
    from community_app.models import AuditLog

    entry = _register_entry(db, world, mobile="13600001111", name="孙奶奶")
    acc = auth.staff_create_account(db, world.staff, mobile="13600001111", password="temporary pass 1",
                                    name="孙奶奶", address=auth.Address(world.compound_id, "7", "1", "102"))
    assert acc.resident_id == entry.id and acc.must_change_password
    log = db.exec(select(AuditLog).where(AuditLog.action == "account.create_on_behalf")).one()
    assert json.loads(log.detail)["linked_register_entry"] is True
