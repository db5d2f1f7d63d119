"""The demo's staff second factor. Staff and admins sign in with a TOTP code (issue 7); so
that the demo community can be tried at once, and the browser tests can sign staff in, the
demo's staff accounts share one published authenticator key (README, 演示账号). Add it to an
authenticator app, or compute the code: ``python -c "import pyotp; print(pyotp.TOTP('KEY').now())"``.

Never for a real deployment: ``seed-demo`` is the only caller.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, select

from community_app.models import Account, Role, RoleGrant

DEMO_TOTP_SECRET = "LINLIDEMOSTAFFTOTPKEYFORDEMOONLY"


def enrol_demo_staff(session: Session, mobiles: list[str]) -> int:
    """Give the demo's staff and admin accounts the published key; returns how many. Commits."""
    staff_ids = select(RoleGrant.account_id).where(RoleGrant.role.in_([Role.STAFF, Role.ADMIN]))
    result = session.exec(
        update(Account).where(Account.mobile.in_(mobiles), Account.id.in_(staff_ids), Account.totp_secret.is_(None))
        .values(totp_secret=DEMO_TOTP_SECRET, totp_last_step=0)
    )
    session.commit()
    return result.rowcount
