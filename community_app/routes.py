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

PUBLIC = {LOGIN, SIGNUP}


def service(type_id: int | str) -> str:
    return f"/services/{type_id}"


def booking(booking_id: int | str) -> str:
    return f"/bookings/{booking_id}"


def staff_day(day_id: int | str) -> str:
    return f"/staff/days/{day_id}"


def photo(photo_id: int | str) -> str:
    return f"/api/photo/{photo_id}"
