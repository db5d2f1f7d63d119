"""Route constants, one place (form-designer style)."""

HOME = "/"
LOGIN = "/login"
SIGNUP = "/signup"
SERVICES = "/services"
CLASSES = "/classes"
VOLUNTEER = "/volunteer"
ME = "/me"
NOTIFICATIONS = "/notifications"

STAFF_HOME = "/staff"
STAFF_ACCOUNTS = "/staff/accounts"

PUBLIC = {LOGIN, SIGNUP}
