"""All tables. Importing this package registers every model on ``SQLModel.metadata``."""

from community_app.models.audit import AuditLog
from community_app.models.base import utcnow
from community_app.models.classes import (
    Attendance,
    ClassRoomHold,
    ClassSettings,
    Course,
    CoursePost,
    CourseSession,
    CourseShare,
    Enrollment,
    EnrollmentEvent,
)
from community_app.models.mediation import (
    CaseParty,
    CasePhoto,
    CaseUpdate,
    MediationCase,
    MediationCounter,
    MediationSession,
    MediationSettings,
    Topic,
    TopicComment,
    TopicOption,
    TopicVote,
)
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
from community_app.models.security import PhoneCode
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
    "ACTIVE_STATUSES", "Account", "Activity", "Attendance", "AuditLog", "AuthSession", "Booking", "BookingEvent",
    "BookingPhoto", "BookingStatus", "CareCategory", "CaseParty", "CasePhoto", "CaseUpdate", "ClassRoomHold", "ClassSettings",
    "Community", "Compound", "Course", "CoursePost", "CourseSession", "CourseShare", "DiaryEntry", "Enrollment",
    "EnrollmentEvent", "Grid", "Household",
    "LoginAttempt", "MediationCase", "MediationCounter", "MediationSession", "MediationSettings", "Notification", "PhoneCode", "PointsEntry", "Redemption", "RequestUpdate",
    "Resident", "ResidentCare", "ResidentRequest", "Reward", "Role", "RoleGrant", "ServiceDay",
    "ServiceKind", "ServiceSchedule", "ServiceSlot", "ServiceType", "Shift", "Team", "TeamMember", "Topic",
    "TopicComment", "TopicOption", "TopicVote",
    "WaitlistEntry", "utcnow",
]
