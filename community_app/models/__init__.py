"""All tables. Importing this package registers every model on ``SQLModel.metadata``."""

from community_app.models.audit import AuditLog
from community_app.models.base import utcnow
from community_app.models.classes import Course, CourseSession, Enrollment
from community_app.models.mediation import CaseParty, CaseUpdate, MediationCase
from community_app.models.notifications import Notification
from community_app.models.people import (
    Account,
    AuthSession,
    Building,
    CareCategory,
    Community,
    Compound,
    Grid,
    Household,
    LoginAttempt,
    Permission,
    Resident,
    ResidentCare,
    Role,
    RoleGrant,
    StaffPermission,
)
from community_app.models.requests import (
    OPEN_REQUEST_STATUSES,
    DiaryEntry,
    Notice,
    NoticeRead,
    NoticeTarget,
    RequestKind,
    RequestPhoto,
    RequestStatus,
    RequestUpdate,
    ResidentRequest,
)
from community_app.models.services import (
    ACTIVE_STATUSES,
    Booking,
    BookingEvent,
    BookingPhoto,
    BookingStatus,
    ServiceDay,
    ServiceKind,
    ServiceSchedule,
    ServiceSlot,
    ServiceType,
    WaitlistEntry,
)
from community_app.models.volunteering import (
    Activity,
    PointsEntry,
    Redemption,
    Reward,
    Shift,
    Team,
    TeamMember,
)

__all__ = [
    "ACTIVE_STATUSES", "OPEN_REQUEST_STATUSES", "Account", "Activity", "AuditLog", "AuthSession", "Booking",
    "BookingEvent", "BookingPhoto", "BookingStatus", "Building", "CareCategory", "CaseParty", "CaseUpdate", "Community",
    "Compound", "Course", "CourseSession", "DiaryEntry", "Enrollment", "Grid", "Household",
    "LoginAttempt", "MediationCase", "Notice", "NoticeRead", "NoticeTarget", "Notification", "Permission",
    "PointsEntry", "Redemption", "RequestKind", "RequestPhoto", "RequestStatus", "RequestUpdate",
    "Resident", "ResidentCare", "ResidentRequest", "Reward", "Role", "RoleGrant", "StaffPermission", "ServiceDay",
    "ServiceKind", "ServiceSchedule", "ServiceSlot", "ServiceType", "Shift", "Team", "TeamMember",
    "WaitlistEntry", "utcnow",
]
