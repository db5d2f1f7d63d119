"""The service catalogue (服务目录): service types staff manage per community (``types``), the
recurrence rules of slot-based types (``schedules``), the generated service days with their
numbered slots and the views pages show (``days``), the standard catalogue a community starts with
(``defaults``) and eligibility (``common``). Cancelling or moving a day changes bookings, so it
lives with them (``services/bookings/days.py``).

Times: schedules hold local wall-clock times; slots store aware UTC computed in the community's
zone (``Community.timezone``), so a slot is the same instant everywhere.

This package's names are importable from here: ``from community_app.services import catalogue``.
"""

from community_app.services.catalogue.common import (
    CATEGORIES,
    DAY_CANCELLED,
    DAY_OPEN,
    LIMIT_PERIODS,
    care_categories,
    get_type,
    has_eligibility_rule,
    is_eligible,
)
from community_app.services.catalogue.days import (
    DayView,
    SlotView,
    day_slots,
    generate_days,
    generate_days_now,
    list_days,
    open_days,
)
from community_app.services.catalogue.defaults import ensure_default_catalogue
from community_app.services.catalogue.schedules import (
    add_schedule,
    list_schedules,
    slot_times,
    update_schedule,
)
from community_app.services.catalogue.types import (
    ServiceOffer,
    create_service_type,
    deactivate_service_type,
    eligibility_text,
    get_service_type,
    list_service_types,
    offered_services,
    set_service_type_active,
    update_service_type,
)
from community_app.services.core.clock import community_zone, local_to_utc, local_today

__all__ = [
    "CATEGORIES", "DAY_CANCELLED", "DAY_OPEN", "LIMIT_PERIODS", "DayView", "ServiceOffer", "SlotView",
    "add_schedule", "care_categories", "community_zone", "create_service_type", "day_slots", "deactivate_service_type",
    "eligibility_text", "ensure_default_catalogue", "generate_days", "generate_days_now", "get_service_type",
    "get_type", "has_eligibility_rule", "is_eligible", "list_days", "list_schedules", "list_service_types",
    "local_to_utc", "local_today", "offered_services", "open_days", "set_service_type_active", "slot_times",
    "update_schedule", "update_service_type",
]
