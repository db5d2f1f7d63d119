"""Accounts and sessions: happy paths and every refusal."""

from __future__ import annotations

from datetime import timedelta

import bcrypt
import pytest
from sqlmodel import select

from community_app.models import Account, AuditLog, AuthSession, Resident, utcnow
from community_app.services import auth
from community_app.services.errors import AuthError, Conflict, LockedOut, NotAllowed, ValidationError
from tests.conftest import sign_up_with_code

NONCE = "browser-nonce-1"


def _signup(db, world, mobile="13700000009", password="plum blossom 88", name="赵桂兰", **kw):
    return sign_up_with_code(
        db, mobile=mobile, password=password, name=name, community_id=world.community_id,
        address=kw.pop("address", auth.Address(world.compound_id, "5", "2", "301")), **kw,
    )


def test_sign_up_creates_resident_household_and_hashes_password(db, world):
    acc = _signup(db, world, mobile="+86 137-0000-0009")
    assert acc.mobile == "13700000009"
    assert acc.password_hash.startswith("$argon2id$")
    assert "plum blossom 88" not in acc.password_hash
    resident = db.get(Resident, acc.resident_id)
    assert resident.name == "赵桂兰" and resident.household_id is not None


@pytest.mark.parametrize("mobile", ["", "12345", "23800000000", "1380000000a", "138000000001", "10800000000"])
def test_sign_up_refuses_bad_mobile(db, world, mobile):
    with pytest.raises(ValidationError) as e:
        _signup(db, world, mobile=mobile)
    assert e.value.field == "mobile"
    assert db.exec(select(Account).where(Account.display_name == "赵桂兰")).first() is None


@pytest.mark.parametrize(
    "password,key",
    [
        ("short", "auth.error.password_short"),
        ("1234567", "auth.error.password_short"),
        ("password", "auth.error.password_common"),
        ("12345678", "auth.error.password_common"),
        ("Iloveyou", "auth.error.password_common"),
        ("aaaaaaaaaaaa", "password.error.one_char"),
        ("x13700000009y", "password.error.has_mobile"),  # contains the mobile number
        ("p" * 257, "auth.error.password_long"),
    ],
)
def test_sign_up_refuses_weak_password(db, world, password, key):
    with pytest.raises(ValidationError) as e:
        _signup(db, world, password=password)
    assert e.value.key == key and e.value.field == "password"


def test_long_password_is_allowed_and_not_truncated(db, world):
    long_pw = "月" * 40 + "long passphrase " * 5  # > 64 characters, > 72 bytes
    _signup(db, world, password=long_pw)
    assert auth.sign_in(db, mobile="13700000009", password=long_pw)
    with pytest.raises(AuthError):
        auth.sign_in(db, mobile="13700000009", password=long_pw[:-1])


def test_no_composition_rules(db, world):
    _signup(db, world, password="lowercase only words")  # no digit, no capital: fine


def test_sign_up_refuses_duplicate_mobile(db, world):
    _signup(db, world)
    with pytest.raises(Conflict) as e:
        _signup(db, world, name="另一个人")  # said only to whoever holds the phone (the code)
    assert e.value.field == "mobile"


def test_sign_up_refuses_missing_address(db, world):
    with pytest.raises(ValidationError) as e:
        _signup(db, world, address=auth.Address(world.compound_id, "", "", "301"))
    assert e.value.field == "building"
    with pytest.raises(ValidationError) as e:
        _signup(db, world, address=auth.Address(999, "1", "", "1"))
    assert e.value.field == "compound"


def test_sign_up_links_resident_already_in_register_after_the_sms_proof(db, world):
    r = Resident(community_id=world.community_id, name="赵桂兰", mobile="13700000009", birth_year=1945)
    db.add(r)
    db.commit()
    acc = _signup(db, world)
    assert acc.resident_id == r.id


def test_sign_in_and_resolve_and_sign_out(db, world):
    token = auth.sign_in(db, mobile="13800000001", password=world.password, client_key="c")
    actor = auth.resolve_session(db, token)
    assert actor.account_id == world.resident.account_id and not actor.is_staff
    row = db.exec(select(AuthSession).where(AuthSession.account_id == actor.account_id)).first()
    assert row.token_hash != token and len(row.token_hash) == 64  # only the hash is stored
    auth.sign_out(db, token)
    assert auth.resolve_session(db, token) is None


def test_wrong_password_and_unknown_account_give_the_same_error(db, world):
    with pytest.raises(AuthError) as e1:
        auth.sign_in(db, mobile="13800000001", password="wrong password!")
    with pytest.raises(AuthError) as e2:
        auth.sign_in(db, mobile="13812345678", password="wrong password!")
    assert e1.value.key == e2.value.key == "auth.error.bad_credentials"


def test_account_lockout_after_repeated_failures(db, world):
    for _ in range(4):
        with pytest.raises(AuthError) as e:
            auth.sign_in(db, mobile="13800000001", password="nope nope nope")
        assert not isinstance(e.value, LockedOut)
    with pytest.raises(LockedOut):
        auth.sign_in(db, mobile="13800000001", password="nope nope nope")
    # Even the right password is refused while locked.
    with pytest.raises(LockedOut) as e:
        auth.sign_in(db, mobile="13800000001", password=world.password)
    assert "分钟" in e.value.message()
    # After the lock expires, the right password works again.
    acc = db.get(Account, world.resident.account_id)
    acc.locked_until = utcnow() - timedelta(seconds=1)
    db.add(acc)
    db.commit()
    assert auth.sign_in(db, mobile="13800000001", password=world.password)


def test_client_lockout_across_accounts(db, world, monkeypatch):
    monkeypatch.setenv("LOCKOUT_CLIENT_FAILURES", "3")
    from community_app.settings import reset_settings

    reset_settings()
    for i in range(3):
        with pytest.raises(AuthError):
            auth.sign_in(db, mobile=f"1360000000{i}", password="guess guess", client_key="ip:1.2.3.4")
    with pytest.raises(LockedOut) as e:
        auth.sign_in(db, mobile="13800000001", password=world.password, client_key="ip:1.2.3.4")
    assert e.value.key == "auth.error.client_locked"
    assert auth.sign_in(db, mobile="13800000001", password=world.password, client_key="ip:5.6.7.8")


def test_expired_token_is_refused(db, world):
    token = auth.sign_in(db, mobile="13800000001", password=world.password)
    row = db.exec(select(AuthSession).where(AuthSession.token_hash == auth.token_hash(token))).one()
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.add(row)
    db.commit()
    assert auth.resolve_session(db, token) is None


def test_unknown_and_empty_tokens_are_refused(db, world):
    assert auth.resolve_session(db, "") is None
    assert auth.resolve_session(db, "not-a-token") is None


def test_handoff_code_is_claimed_once_by_the_same_client_for_a_fresh_token(db, world):
    here = auth.client_key("10.0.0.5")
    token = auth.sign_in(db, mobile="13800000001", password=world.password, client_key=here)
    code = auth.handoff(db, token, NONCE)
    # Neither the handed-off token nor the code signs anybody in.
    assert auth.resolve_session(db, token) is None and auth.resolve_session(db, code) is None
    assert auth.handoff(db, token, NONCE) is None  # and the old token cannot be handed off again
    assert auth.claim(db, code, auth.client_key("10.0.0.6"), NONCE) is None  # another client
    assert auth.claim(db, code, here, "another-browser") is None  # another browser, same network
    assert auth.claim(db, code, here, "") is None  # a browser without a nonce cookie
    cookie = auth.claim(db, code, here, NONCE)
    assert cookie not in (None, token, code)
    assert auth.resolve_session(db, cookie).account_id == world.resident.account_id
    assert auth.claim(db, code, here, NONCE) is None  # spent


def test_handoff_needs_a_nonce(db, world):
    token = auth.sign_in(db, mobile="13800000001", password=world.password)
    assert auth.handoff(db, token, "") is None
    assert auth.resolve_session(db, token) is not None  # nothing happened to the session


def test_handoff_code_expires_and_dies_with_its_session(db, world):
    here = auth.client_key("10.0.0.5")
    late = auth.handoff(db, auth.sign_in(db, mobile="13800000001", password=world.password, client_key=here), NONCE)
    row = db.exec(select(AuthSession).where(AuthSession.token_hash == auth.token_hash(late))).one()
    row.pending_until = utcnow() - timedelta(seconds=1)
    db.add(row)
    db.commit()
    assert auth.claim(db, late, here, NONCE) is None
    revoked = auth.handoff(db, auth.sign_in(db, mobile="13800000001", password=world.password, client_key=here), NONCE)
    auth.staff_reset_password(db, world.staff, account_id=world.resident.account_id, new_password="reset by staff 1",
                              actor_password=world.password)
    assert auth.claim(db, revoked, here, NONCE) is None
    assert auth.claim(db, "", here, NONCE) is None and auth.claim(db, "x" * 500, here, NONCE) is None


def test_password_change_revokes_every_session(db, world):
    t1 = auth.sign_in(db, mobile="13800000001", password=world.password)
    t2 = auth.sign_in(db, mobile="13800000001", password=world.password)
    actor = auth.resolve_session(db, t1)
    with pytest.raises(ValidationError):
        auth.change_password(db, actor, current_password="wrong one!", new_password="new secret words")
    t3 = auth.change_password(db, actor, current_password=world.password, new_password="new secret words")
    assert auth.resolve_session(db, t1) is None and auth.resolve_session(db, t2) is None
    assert auth.resolve_session(db, t3).account_id == actor.account_id
    assert auth.sign_in(db, mobile="13800000001", password="new secret words")


def test_bcrypt_hash_verifies_and_is_upgraded(db, world):
    acc = db.get(Account, world.resident.account_id)
    acc.password_hash = bcrypt.hashpw(b"legacy password 1", bcrypt.gensalt(rounds=4)).decode()
    db.add(acc)
    db.commit()
    auth.sign_in(db, mobile=acc.mobile, password="legacy password 1")
    db.refresh(acc)
    assert acc.password_hash.startswith("$argon2id$")


def test_staff_creates_account_on_behalf_and_it_is_audited(db, world):
    acc = auth.staff_create_account(
        db, world.staff, mobile="13600001111", password="temporary pass 1", name="孙奶奶",
        address=auth.Address(world.compound_id, "7", "1", "102"),
    )
    assert acc.community_id == world.community_id
    log = db.exec(select(AuditLog).where(AuditLog.action == "account.create_on_behalf")).one()
    assert log.actor_account_id == world.staff.account_id and log.target_id == acc.id


def test_resident_cannot_create_accounts_or_reset_passwords(db, world):
    with pytest.raises(NotAllowed):
        auth.staff_create_account(
            db, world.resident, mobile="13600001111", password="temporary pass 1", name="孙奶奶",
            address=auth.Address(world.compound_id, "7", "1", "102"),
        )
    with pytest.raises(NotAllowed):
        auth.staff_reset_password(db, world.resident, account_id=world.resident2.account_id,
                                  new_password="hijacked pass 1", actor_password=world.password)
    assert db.exec(select(AuditLog)).all() == []


def test_staff_of_another_community_cannot_reset(db, world):
    with pytest.raises(NotAllowed):
        auth.staff_reset_password(db, world.other_staff, account_id=world.resident.account_id,
                                  new_password="hijacked pass 1", actor_password=world.password)


def test_staff_reset_revokes_sessions_and_unlocks(db, world):
    token = auth.sign_in(db, mobile="13800000001", password=world.password)
    auth.staff_reset_password(db, world.staff, account_id=world.resident.account_id,
                              new_password="fresh start 2026", actor_password=world.password)
    assert auth.resolve_session(db, token) is None
    # The password staff set works once: the session waits for the resident's own password.
    assert auth.begin_sign_in(db, mobile="13800000001", password="fresh start 2026").stage == "password"
    log = db.exec(select(AuditLog).where(AuditLog.action == "account.reset_password")).one()
    assert log.target_id == world.resident.account_id


def test_staff_cannot_reset_another_staff_password(db, world):
    from community_app.models import Role, RoleGrant

    db.add(RoleGrant(account_id=world.resident2.account_id, role=Role.STAFF, community_id=world.community_id))
    db.commit()
    with pytest.raises(NotAllowed):
        auth.staff_reset_password(db, world.staff, account_id=world.resident2.account_id,
                                  new_password="fresh start 2026", actor_password=world.password)


def test_preferences_are_remembered_per_account(db, world):
    auth.set_preferences(db, world.resident, elder_mode=True, locale="en")
    token = auth.sign_in(db, mobile="13800000001", password=world.password)
    actor = auth.resolve_session(db, token)
    assert actor.elder_mode is True and actor.locale == "en"
    with pytest.raises(ValidationError):
        auth.set_preferences(db, world.resident, locale="fr")


def test_common_password_list_has_top_3000():
    from community_app.services.passwords import common_passwords

    pw = common_passwords()
    assert len(pw) >= 3000 and "123456" in pw and "password" in pw


def test_rotating_the_secret_key_signs_everybody_out(db, world, monkeypatch):
    from community_app.settings import reset_settings

    token = auth.sign_in(db, mobile="13800000001", password=world.password)
    assert auth.resolve_session(db, token) is not None
    monkeypatch.setenv("SECRET_KEY", "rotated-secret-value-2027")
    reset_settings()
    assert auth.resolve_session(db, token) is None


def test_grids_listed_for_staff_only(db, world):
    from community_app.models import Grid
    from community_app.services import registry

    db.add(Grid(community_id=world.community_id, name="第一网格"))
    db.add(Grid(community_id=world.other_community_id, name="别的网格"))
    db.commit()
    assert [g.name for g in registry.list_grids(db, world.staff)] == ["第一网格"]
    with pytest.raises(NotAllowed):
        registry.list_grids(db, world.resident)


def test_teams_listed_for_staff_of_that_community_only(db, world):
    from community_app.models import Team
    from community_app.services import registry

    db.add(Team(community_id=world.community_id, name="夕阳维修队"))
    db.add(Team(community_id=world.other_community_id, name="别的队"))
    db.commit()
    assert [t.name for t in registry.list_teams(db, world.staff)] == ["夕阳维修队"]
    with pytest.raises(NotAllowed):
        registry.list_teams(db, world.resident)
