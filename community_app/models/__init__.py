"""All tables. Importing this package registers every model on ``SQLModel.metadata``."""

from community_app.models.audit import AuditLog
from community_app.models.base import utcnow
from community_app.models.classes import Course, CourseSession, Enrollment
from community_app.models.mediation import CaseParty, CaseUpdate, MediationCase
from community_app.models.notifications import Notification
from community_app.models.people import (
    Account,
    AuthSession,
    CareCategory,
    Community,
    Compound,
    Grid,
    Household,
    LoginAttempt,
    Resident,
    ResidentCare,
    Role,
    RoleGrant,
)
from community_app.models.requests import DiaryEntry, RequestUpdate, ResidentRequest
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
    MemberStatus,
    PointsBalance,
    PointsEntry,
    PointsKind,
    Redemption,
    RedemptionStatus,
    Reward,
    RewardOffer,
    ServiceHours,
    Shift,
    ShiftSignup,
    SignupStatus,
    Team,
    TeamMember,
    VisitLog,
    VisitPair,
)

__all__ = [
    "ACTIVE_STATUSES", "Account", "Activity", "AuditLog", "AuthSession", "Booking", "BookingEvent",
    "BookingPhoto", "BookingStatus", "CareCategory", "CaseParty", "CaseUpdate", "Community",
    "Compound", "Course", "CourseSession", "DiaryEntry", "Enrollment", "Grid", "Household",
    "LoginAttempt", "MediationCase", "MemberStatus", "Notification", "PointsBalance", "PointsEntry",
    "PointsKind", "Redemption", "RedemptionStatus", "RequestUpdate", "Resident", "ResidentCare",
    "ResidentRequest", "Reward", "RewardOffer", "Role", "RoleGrant", "ServiceDay", "ServiceHours",
    "ServiceKind", "ServiceSchedule", "ServiceSlot", "ServiceType", "Shift", "ShiftSignup", "SignupStatus",
    "Team", "TeamMember", "VisitLog", "VisitPair", "WaitlistEntry", "utcnow",
]
