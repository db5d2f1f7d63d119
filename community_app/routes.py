"""Route constants and URL builders, one place (form-designer style)."""

HOME = "/"
LOGIN = "/login"
SIGNUP = "/signup"
SERVICES = "/services"
SERVICE = "/services/[type_id]"
BOOKINGS = "/bookings"
BOOKING = "/bookings/[booking_id]"
CLASSES = "/classes"
VOLUNTEER = "/volunteer"
ME = "/me"
NOTIFICATIONS = "/notifications"

STAFF_HOME = "/staff"
STAFF_ACCOUNTS = "/staff/accounts"
STAFF_QUEUE = "/staff/bookings"
STAFF_DAYS = "/staff/days"
STAFF_DAY = "/staff/days/[day_id]"
STAFF_BOOK = "/staff/book"
STAFF_CATALOGUE = "/staff/catalogue"

# Served by a plain Starlette route (not a page): a booking photo, after a permission check.
PHOTO_API = "/api/photo/{photo_id}"

# Plain HTTP, because only an HTTP response can set an HttpOnly cookie: trade a sign-in's
# one-time code for the session cookie (GET, then 303 to ``next``), and clear it (POST).
SESSION_CLAIM_API = "/api/session/claim"
SESSION_END_API = "/api/session/end"

PUBLIC = {LOGIN, SIGNUP}


def safe_next(raw: str) -> str:
    """A path on this site to go to after signing in, or "" (never another site: no scheme,
    no "//host", no backslash, which browsers read as a slash, no control characters)."""
    if not isinstance(raw, str) or len(raw) > 500:
        return ""
    path = raw.split("?", 1)[0].split("#", 1)[0].rstrip("/") or "/"  # "/login/" is the sign-in page too
    if (raw.startswith("/") and not raw.startswith("//") and "\\" not in raw
            and all(ch >= " " and ch != "\x7f" for ch in raw) and path not in PUBLIC):
        return raw
    return ""


def service(type_id: int | str) -> str:
    return f"/services/{type_id}"


def booking(booking_id: int | str) -> str:
    return f"/bookings/{booking_id}"


def staff_day(day_id: int | str) -> str:
    return f"/staff/days/{day_id}"


def photo(photo_id: int | str) -> str:
    return f"/api/photo/{photo_id}"


# ---- volunteering (志愿): resident pages, staff desk pages, the API for photos and sheets ----
VOL_SHIFT = "/volunteer/shifts/[shift_id]"
VOL_TASKS = "/volunteer/tasks"
VOL_TASK = "/volunteer/tasks/[booking_id]"  # an assigned booking: the assignment notification links here
VOL_POINTS = "/volunteer/points"
VOL_PASSBOOK = "/volunteer/passbook"
VOL_SHOP = "/volunteer/shop"
VOL_REDEMPTIONS = "/volunteer/redemptions"
VOL_TEAMS = "/volunteer/teams"
VOL_TEAM = "/volunteer/teams/[team_id]"
VOL_PUBLISH = "/volunteer/publish"
VOL_RANKINGS = "/volunteer/rankings"
VOL_VISITS = "/volunteer/visits"

STAFF_VOL_ACTIVITIES = "/staff/volunteer/activities"
STAFF_VOL_VERIFY = "/staff/volunteer/verify"
STAFF_VOL_TEAMS = "/staff/volunteer/teams"
STAFF_VOL_GOODS = "/staff/volunteer/goods"
STAFF_VOL_HANDOVER = "/staff/volunteer/handover"
STAFF_VOL_LEDGER = "/staff/volunteer/ledger"
STAFF_VOL_VISITS = "/staff/volunteer/visits"

GOOD_PHOTO_API = "/api/volunteer/goods/{reward_id}/photo"
HOURS_SHEET_API = "/api/volunteer/hours.xlsx"
LEDGER_SHEET_API = "/api/volunteer/ledger.xlsx"


def volunteer_shift(shift_id: int | str) -> str:
    return f"/volunteer/shifts/{shift_id}"


def volunteer_task(booking_id: int | str) -> str:
    """A volunteer's page of a booking assigned to them (我的任务)."""
    return f"/volunteer/tasks/{booking_id}"


def volunteer_team(team_id: int | str) -> str:
    return f"/volunteer/teams/{team_id}"


def shift_code_path(shift_id: int | str, code: str) -> str:
    """What a venue's QR code opens: the shift page with the code filled in."""
    return f"/volunteer/shifts/{shift_id}?code={code}"


def handover_path(code: str) -> str:
    """What a pick-up code's QR opens on the staff's phone: the hand-over desk with the code."""
    return f"{STAFF_VOL_HANDOVER}?code={code}"


def good_photo(reward_id: int | str, photo: str = "") -> str:
    version = photo[:8]
    return GOOD_PHOTO_API.format(reward_id=reward_id) + (f"?v={version}" if version else "")
