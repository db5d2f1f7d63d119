"""Route constants and URL builders, one place (form-designer style)."""

HOME = "/"
LOGIN = "/login"
SIGNUP = "/signup"
SERVICES = "/services"
SERVICE = "/services/[type_id]"
BOOKINGS = "/bookings"
BOOKING = "/bookings/[booking_id]"
CLASSES = "/classes"
CLASS_COURSE = "/classes/course/[course_id]"
MY_CLASSES = "/classes/mine"
CLASS_ROLL = "/classes/roll/[session_id]"
VOLUNTEER = "/volunteer"
ME = "/me"
ME_SECURITY = "/me/security"
NOTIFICATIONS = "/notifications"
MEDIATION = "/mediation"
MEDIATION_NEW = "/mediation/new"
MEDIATION_CASE = "/mediation/[case_id]"
TOPICS = "/topics"
TOPICS_NEW = "/topics/new"
TOPIC = "/topics/[topic_id]"
# 诉求 (report a problem / leave an opinion) and 通知公告
REQUESTS = "/requests"
REPORT = "/report"
REQUEST = "/requests/[request_id]"
NOTICE = "/notices/[notice_id]"

STAFF_HOME = "/staff"
STAFF_ACCOUNTS = "/staff/accounts"
STAFF_QUEUE = "/staff/bookings"
STAFF_DAYS = "/staff/days"
STAFF_DAY = "/staff/days/[day_id]"
STAFF_BOOK = "/staff/book"
STAFF_CATALOGUE = "/staff/catalogue"
STAFF_CLASSES = "/staff/classes"
STAFF_CLASS_NEW = "/staff/classes/new"
STAFF_CLASS = "/staff/classes/course/[course_id]"
STAFF_ENROLMENTS = "/staff/classes/enrolments"
STAFF_CLASS_SHEET = "/staff/classes/sheet/[session_id]"
STAFF_HOUSEHOLDS = "/staff/classes/households"
STAFF_MEDIATION = "/staff/mediation"
STAFF_MEDIATION_NEW = "/staff/mediation/new"
STAFF_MEDIATION_NUMBERS = "/staff/mediation/numbers"
STAFF_MEDIATION_CASE = "/staff/mediation/[case_id]"
STAFF_TOPICS = "/staff/topics"
STAFF_TOPICS_NEW = "/staff/topics/new"
STAFF_TOPIC = "/staff/topics/[topic_id]"

# Served by a plain Starlette route (not a page): a booking photo, after a permission check.
PHOTO_API = "/api/photo/{photo_id}"
CASE_PHOTO_API = "/api/mediation/photo/{photo_id}"

# Calendar files and the attendance register (plain HTTP downloads, after a permission check).
MY_CLASSES_ICS_API = "/api/classes/my.ics"
COURSE_ICS_API = "/api/classes/course/{course_id}.ics"
CLASS_REGISTER_API = "/api/classes/register/{course_id}.xlsx"
# The register (台账), grids, 诉求, notices, roles and the audit log
STAFF_REGISTER = "/staff/register"
STAFF_HOUSEHOLD = "/staff/households/[household_id]"
STAFF_IMPORT = "/staff/import"
STAFF_GRIDS = "/staff/grids"
STAFF_REQUESTS = "/staff/requests"
STAFF_REQUEST = "/staff/requests/[request_id]"
STAFF_NOTICES = "/staff/notices"
STAFF_ROLES = "/staff/roles"
STAFF_AUDIT = "/staff/audit"
STAFF_SETTINGS = "/staff/settings"  # 社区信息: the community's phone

# Served by a plain Starlette route (not a page): a booking photo, after a permission check.
PHOTO_API = "/api/photo/{photo_id}"
REQUEST_PHOTO_API = "/api/request-photo/{photo_id}"

# Plain HTTP, because only an HTTP response can set an HttpOnly cookie: trade a sign-in's
# one-time code for the session cookie (GET, then 303 to ``next``), and clear it (POST).
SESSION_CLAIM_API = "/api/session/claim"
SESSION_END_API = "/api/session/end"
SESSION_NONCE_API = "/api/session/nonce"  # POST: this browser's nonce cookie (binds hand-overs)

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


def class_course(course_id: int | str) -> str:
    return f"/classes/course/{course_id}"


def class_roll(session_id: int | str) -> str:
    return f"/classes/roll/{session_id}"


def staff_class(course_id: int | str) -> str:
    return f"/staff/classes/course/{course_id}"


def staff_class_sheet(session_id: int | str) -> str:
    return f"/staff/classes/sheet/{session_id}"


def staff_enrolments(course_id: int | str = "", status: str = "") -> str:
    query = "&".join(f"{k}={v}" for k, v in (("course", course_id), ("status", status)) if v)
    return STAFF_ENROLMENTS + ("?" + query if query else "")


def course_ics(course_id: int | str) -> str:
    return f"/api/classes/course/{course_id}.ics"


def class_register(course_id: int | str) -> str:
    return f"/api/classes/register/{course_id}.xlsx"


def mediation_case(case_id: int | str) -> str:
    return f"/mediation/{case_id}"


def staff_mediation_case(case_id: int | str) -> str:
    return f"/staff/mediation/{case_id}"


def topic(topic_id: int | str) -> str:
    return f"/topics/{topic_id}"


def staff_topic(topic_id: int | str) -> str:
    return f"/staff/topics/{topic_id}"


def case_photo(photo_id: int | str) -> str:
    return f"/api/mediation/photo/{photo_id}"
def request(request_id: int | str) -> str:
    return f"/requests/{request_id}"


def notice(notice_id: int | str) -> str:
    return f"/notices/{notice_id}"


def staff_household(household_id: int | str) -> str:
    return f"/staff/households/{household_id}"


def staff_request(request_id: int | str) -> str:
    return f"/staff/requests/{request_id}"


def request_photo(photo_id: int | str) -> str:
    return f"/api/request-photo/{photo_id}"


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
