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
    "ACTIVE_STATUSES", "OPEN_REQUEST_STATUSES", "Account", "Activity", "Attendance", "AuditLog",
    "AuthSession", "Booking", "BookingEvent", "BookingPhoto", "BookingStatus", "Building", "CareCategory",
    "CaseParty", "CasePhoto", "CaseUpdate", "ClassRoomHold", "ClassSettings", "Community", "Compound",
    "Course", "CoursePost", "CourseSession", "CourseShare", "DiaryEntry", "Enrollment", "EnrollmentEvent",
    "Grid", "Household", "LoginAttempt", "MediationCase", "MediationCounter", "MediationSession",
    "MediationSettings", "MemberStatus", "Notice", "NoticeRead", "NoticeTarget", "Notification", "Permission",
    "PhoneCode", "PointsBalance", "PointsEntry", "PointsKind", "Redemption", "RedemptionStatus",
    "RequestKind", "RequestPhoto", "RequestStatus", "RequestUpdate", "Resident", "ResidentCare",
    "ResidentRequest", "Reward", "RewardOffer", "Role", "RoleGrant", "ServiceDay", "ServiceHours",
    "ServiceKind", "ServiceSchedule", "ServiceSlot", "ServiceType", "Shift", "ShiftSignup", "SignupStatus",
    "StaffPermission", "Team", "TeamMember", "Topic", "TopicComment", "TopicOption", "TopicVote", "VisitLog",
    "VisitPair", "WaitlistEntry", "utcnow",
]
