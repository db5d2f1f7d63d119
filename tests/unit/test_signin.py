"""Signing in step by step, staff sessions, lockout on every password check, and argon2
always outside the write transaction (issue 7, points 4 and 5; issue 6)."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pyotp
import pytest
from sqlmodel import select

from community_app.models import Account, AuthSession, Role, RoleGrant, utcnow
from community_app.services import auth, passwords, sessions, signin, totp
from community_app.services.errors import AuthError, LockedOut, NotFound, ValidationError
from community_app.settings import reset_settings

STAFF = "13900000001"


@pytest.fixture
def mfa(monkeypatch):
    """The second factor on, as in production (the unit tests' default turns it off)."""
    monkeypatch.setenv("STAFF_TOTP", "required")
    reset_settings()
    yield
    reset_settings()


def _enrolled(db, world, mobile=STAFF) -> str:
    secret = totp.new_secret()
    acc = db.exec(select(Account).where(Account.mobile == mobile)).one()
    acc.totp_secret = secret
    db.add(acc)
    db.commit()
    return secret


def _code(secret, steps_ahead=0):
    return pyotp.TOTP(secret).at((totp.current_step() + steps_ahead) * totp.STEP_SECONDS)


def test_staff_need_the_authenticator_code_and_a_code_works_once(db, world, mfa):
    secret = _enrolled(db, world)
    first = auth.begin_sign_in(db, mobile=STAFF, password=world.password)
    assert first.stage == "totp"
    assert auth.resolve_session(db, first.token) is None  # the password alone signs nobody in
    assert auth.handoff(db, first.token, "n") is None
    done = signin.verify_totp(db, token=first.token, code=_code(secret))
    assert done.stage == "" and auth.resolve_session(db, done.token).is_staff
    with pytest.raises(AuthError):  # the staged token was for one step only
        signin.verify_totp(db, token=first.token, code=_code(secret))
    again = auth.begin_sign_in(db, mobile=STAFF, password=world.password)
    with pytest.raises(ValidationError) as e:  # the same code (same time step) again: replay
        signin.verify_totp(db, token=again.token, code=_code(secret))
    assert e.value.field == "code"
    assert signin.verify_totp(db, token=again.token, code=_code(secret, 1)).stage == ""


def test_wrong_codes_count_toward_the_lockout(db, world, mfa):
    secret = _enrolled(db, world)
    staged = auth.begin_sign_in(db, mobile=STAFF, password=world.password)
    wrong = "000000" if _code(secret) != "000000" else "111111"
    for _ in range(4):
        with pytest.raises(ValidationError):
            signin.verify_totp(db, token=staged.token, code=wrong)
    with pytest.raises(LockedOut):
        signin.verify_totp(db, token=staged.token, code=wrong)
    with pytest.raises(LockedOut):
        signin.verify_totp(db, token=staged.token, code=_code(secret))


def test_first_sign_in_of_staff_enrols_the_authenticator_with_a_qr_code(db, world, mfa):
    staged = auth.begin_sign_in(db, mobile=STAFF, password=world.password)
    assert staged.stage == "enrol"
    enrolment = signin.start_enrolment(db, token=staged.token)
    assert enrolment.qr.startswith("data:image/svg+xml") and totp.valid_secret(enrolment.secret)
    with pytest.raises(ValidationError):
        signin.confirm_enrolment(db, token=staged.token, secret=enrolment.secret, code="123")
    with pytest.raises(ValidationError):  # a secret that is not base32 is refused
        signin.confirm_enrolment(db, token=staged.token, secret="not a secret!", code="123456")
    done = signin.confirm_enrolment(db, token=staged.token, secret=enrolment.secret, code=_code(enrolment.secret))
    assert done.stage == "" and auth.resolve_session(db, done.token) is not None
    db.expire_all()
    assert db.exec(select(Account).where(Account.mobile == STAFF)).one().totp_secret == enrolment.secret
    # From now on: the code, not enrolment.
    assert auth.begin_sign_in(db, mobile=STAFF, password=world.password).stage == "totp"


def test_residents_sign_in_with_the_password_only(db, world, mfa):
    result = auth.begin_sign_in(db, mobile="13800000001", password=world.password)
    assert result.stage == "" and auth.resolve_session(db, result.token) is not None


def test_a_password_set_by_staff_is_replaced_before_the_session_opens(db, world):
    auth.staff_reset_password(db, world.staff, account_id=world.resident.account_id, new_password="set by staff 26",
                              actor_password=world.password)
    staged = auth.begin_sign_in(db, mobile="13800000001", password="set by staff 26")
    assert staged.stage == "password" and auth.resolve_session(db, staged.token) is None
    with pytest.raises(ValidationError) as e:
        signin.set_new_password(db, token=staged.token, new_password="set by staff 26")
    assert e.value.key == "trust.password.same"
    with pytest.raises(ValidationError) as e:
        signin.set_new_password(db, token=staged.token, new_password="123456")
    assert e.value.field == "new_password"
    done = signin.set_new_password(db, token=staged.token, new_password="my own words 77")
    assert done.stage == "" and auth.resolve_session(db, done.token).account_id == world.resident.account_id
    assert auth.begin_sign_in(db, mobile="13800000001", password="my own words 77").stage == ""


def test_staff_then_new_password_in_that_order(db, world, mfa):
    secret = _enrolled(db, world)
    acc = db.exec(select(Account).where(Account.mobile == STAFF)).one()
    acc.must_change_password = True
    db.add(acc)
    db.commit()
    staged = auth.begin_sign_in(db, mobile=STAFF, password=world.password)
    second = signin.verify_totp(db, token=staged.token, code=_code(secret))
    assert second.stage == "password"
    assert signin.set_new_password(db, token=second.token, new_password="a brand new one 9").stage == ""


def test_every_password_check_counts_toward_the_lockout(db, world):
    # Changing one's own password with a wrong current one.
    for _ in range(4):
        with pytest.raises(ValidationError) as e:
            auth.change_password(db, world.resident, current_password="nope nope", new_password="whatever 1234")
        assert e.value.field == "current_password"
    with pytest.raises(LockedOut):
        auth.change_password(db, world.resident, current_password="nope nope", new_password="whatever 1234")
    with pytest.raises(LockedOut):  # and the sign-in is locked too
        auth.sign_in(db, mobile="13800000001", password=world.password)
    # Staff resetting someone's password must type their own; wrong ones count.
    for _ in range(4):
        with pytest.raises(ValidationError) as e:
            auth.staff_reset_password(db, world.staff, account_id=world.resident2.account_id,
                                      new_password="fresh start 2026", actor_password="guess guess")
        assert e.value.field == "actor_password"
    with pytest.raises(LockedOut):
        auth.staff_reset_password(db, world.staff, account_id=world.resident2.account_id,
                                  new_password="fresh start 2026", actor_password="guess guess")
    assert auth.sign_in(db, mobile="13800000002", password=world.password)  # unchanged


def _no_transaction_anywhere(db, path):
    assert not db.in_transaction(), "argon2 ran inside the caller's transaction"
    probe = sqlite3.connect(path, timeout=0)
    try:
        probe.execute("BEGIN IMMEDIATE")  # fails at once if anyone holds the write lock
        probe.execute("ROLLBACK")
    finally:
        probe.close()


def test_argon2_never_runs_inside_a_write_transaction(db, world, sqlite_url, monkeypatch, mfa):
    path = sqlite_url.split("///", 1)[1]
    calls = []
    real_hash, real_verify = passwords.hash_password, passwords.verify_password

    def checked_hash(pw):
        _no_transaction_anywhere(db, path)
        calls.append("hash")
        return real_hash(pw)

    def checked_verify(pw, stored):
        _no_transaction_anywhere(db, path)
        calls.append("verify")
        return real_verify(pw, stored)

    for module in (auth, signin):
        if hasattr(module, "hash_password"):
            monkeypatch.setattr(module, "hash_password", checked_hash)
        monkeypatch.setattr(module, "verify_password", checked_verify, raising=False)

    from tests.conftest import sign_up_with_code

    sign_up_with_code(db, mobile="13700000009", password="plum blossom 88", name="赵桂兰",
                      community_id=world.community_id, address=auth.Address(world.compound_id, "5", "2", "301"))
    with pytest.raises(AuthError):
        auth.sign_in(db, mobile="13800000001", password="wrong wrong")
    token = auth.sign_in(db, mobile="13800000001", password=world.password)
    actor = auth.resolve_session(db, token)
    auth.change_password(db, actor, current_password=world.password, new_password="another phrase 12")
    auth.staff_create_account(db, world.staff, mobile="13600001111", password="temporary pass 1", name="孙奶奶",
                              address=auth.Address(world.compound_id, "7", "1", "102"))
    auth.staff_reset_password(db, world.staff, account_id=world.resident2.account_id,
                              new_password="fresh start 2026", actor_password=world.password)
    staged = auth.begin_sign_in(db, mobile="13800000002", password="fresh start 2026")
    signin.set_new_password(db, token=staged.token, new_password="all mine now 55")
    assert calls.count("hash") >= 5 and calls.count("verify") >= 5


def test_staff_sessions_end_when_idle_and_after_their_lifetime(db, world, mfa):
    secret = _enrolled(db, world)
    staged = auth.begin_sign_in(db, mobile=STAFF, password=world.password)
    token = signin.verify_totp(db, token=staged.token, code=_code(secret)).token
    row = db.exec(select(AuthSession).where(AuthSession.token_hash == auth.token_hash(token))).one()
    assert row.expires_at - row.created_at <= timedelta(hours=12, minutes=1)  # absolute lifetime
    row.last_seen_at = utcnow() - timedelta(minutes=29)
    db.add(row)
    db.commit()
    assert auth.resolve_session(db, token) is not None  # used within 30 minutes: renewed
    db.refresh(row)
    assert utcnow() - row.last_seen_at < timedelta(minutes=1)
    row.last_seen_at = utcnow() - timedelta(minutes=31)
    db.add(row)
    db.commit()
    assert auth.resolve_session(db, token) is None  # idle for 31 minutes: ended
    db.refresh(row)
    assert row.revoked_at is not None
    # Residents stay signed in (their phones are personal; 30 days by default).
    resident = auth.sign_in(db, mobile="13800000001", password=world.password)
    r = db.exec(select(AuthSession).where(AuthSession.token_hash == auth.token_hash(resident))).one()
    r.last_seen_at = utcnow() - timedelta(days=3)
    db.add(r)
    db.commit()
    assert auth.resolve_session(db, resident) is not None


def test_a_role_change_needs_a_new_sign_in(db, world):
    token = auth.sign_in(db, mobile="13800000002", password=world.password)
    assert not auth.resolve_session(db, token).is_staff
    db.add(RoleGrant(account_id=world.resident2.account_id, role=Role.STAFF, community_id=world.community_id))
    db.commit()
    assert auth.resolve_session(db, token) is None  # a resident's session does not become staff
    staff_token = auth.sign_in(db, mobile="13800000002", password=world.password)
    assert auth.resolve_session(db, staff_token).is_staff
    grant = db.exec(select(RoleGrant).where(RoleGrant.account_id == world.resident2.account_id,
                                            RoleGrant.role == Role.STAFF)).one()
    db.delete(grant)
    db.commit()
    assert auth.resolve_session(db, staff_token) is None


def test_the_account_lists_its_sessions_and_signs_any_out(db, world):
    here = auth.sign_in(db, mobile="13800000001", password=world.password, device="Chrome · Android")
    there = auth.sign_in(db, mobile="13800000001", password=world.password, device="微信 · iPhone")
    auth.sign_in(db, mobile="13800000002", password=world.password)  # someone else's
    actor = auth.resolve_session(db, here)
    listed = sessions.list_sessions(db, actor, current_token=here)
    assert [(v.device, v.current) for v in listed] == [("Chrome · Android", True), ("微信 · iPhone", False)]
    other = next(v for v in listed if not v.current)
    sessions.revoke_session(db, actor, session_id=other.id)
    assert auth.resolve_session(db, there) is None and auth.resolve_session(db, here) is not None
    neighbour = sessions.list_sessions(db, world.resident2)[0]
    with pytest.raises(NotFound):  # another account's session
        sessions.revoke_session(db, actor, session_id=neighbour.id)


def test_client_key_groups_ipv6_by_64_and_reads_forwarded_for_behind_trusted_proxies():
    key = sessions.client_key
    assert key("2408:8207:1851:3f40::1") == key("2408:8207:1851:3f40:abcd:1234:5678:9abc")
    assert key("2408:8207:1851:3f40::1") != key("2408:8207:1851:3f41::1")
    assert key("::ffff:10.1.2.3") == key("10.1.2.3") == "ip:10.1.2.3"
    assert key("not an address").startswith("ip:")
    address = sessions.client_address
    assert address("10.0.0.1", "1.2.3.4", hops=0) == "10.0.0.1"  # no proxy: the header is ignored
    assert address("10.0.0.1", "6.6.6.6, 1.2.3.4", hops=1) == "1.2.3.4"  # spoofed left part ignored
    assert address("10.0.0.1", "6.6.6.6, 1.2.3.4, 10.0.0.2", hops=2) == "1.2.3.4"
    assert address("10.0.0.1", "1.2.3.4", hops=2) == "10.0.0.1"  # fewer entries than proxies


def test_device_label():
    ua = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36"
    assert sessions.device_label(ua) == "Chrome · Android"
    assert sessions.device_label("") == ""
