"""Hand-written SQL for the numbers ``district.py`` times through the services: the floor the
service layer is compared with. Parameters: :cid (community), :start/:end (this month, UTC),
:since (30 days ago), :now, :me (the staff account), :grid (the first grid)."""

from __future__ import annotations

_OVERVIEW = [
    "SELECT COUNT(*) FROM resident WHERE community_id = :cid",
    "SELECT COUNT(*) FROM household WHERE community_id = :cid",
    "SELECT COUNT(*) FROM account WHERE community_id = :cid",
    "SELECT COUNT(*) FILTER (WHERE parent_id IS NULL), COUNT(*) FILTER (WHERE parent_id IS NOT NULL) "
    "FROM grid WHERE community_id = :cid",
    "SELECT rc.category, COUNT(*) FROM residentcare rc JOIN resident r ON r.id = rc.resident_id "
    "WHERE r.community_id = :cid GROUP BY rc.category",
    "SELECT * FROM auditlog WHERE community_id = :cid ORDER BY id DESC LIMIT 10",
]

_TODO = [
    "SELECT COUNT(*) FILTER (WHERE urgent IS TRUE), "
    "COUNT(*) FILTER (WHERE urgent IS FALSE AND due_at <= :now), "
    "COUNT(*) FILTER (WHERE urgent IS FALSE AND due_at > :now) "
    "FROM residentrequest WHERE community_id = :cid AND responded_at IS NULL AND status <> 'closed'",
    "SELECT COUNT(*) FROM residentrequest WHERE community_id = :cid AND assigned_account_id = :me "
    "AND status IN ('new', 'responded', 'in_progress')",
    "SELECT COUNT(*) FROM resident r JOIN household h ON h.id = r.household_id "
    "WHERE r.community_id = :cid AND r.moved_out_at IS NULL "
    "AND EXISTS (SELECT 1 FROM residentcare c WHERE c.resident_id = r.id AND c.category = 'living_alone') "
    "AND NOT EXISTS (SELECT 1 FROM diaryentry d WHERE d.household_id = r.household_id AND d.kind = 'visit' "
    "AND d.created_at >= :since)",
]

_MONTH = [
    "SELECT h.grid_id, COUNT(*), SUM(b.rating), COUNT(b.rating) FROM booking b "
    "JOIN resident r ON r.id = b.resident_id LEFT JOIN household h ON h.id = r.household_id "
    "WHERE b.community_id = :cid AND b.status = 'done' AND COALESCE(b.scheduled_at, b.updated_at) >= :start "
    "AND COALESCE(b.scheduled_at, b.updated_at) < :end GROUP BY h.grid_id",
    "SELECT grid_id, SUM(CASE WHEN solved_at >= :start AND solved_at < :end THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN created_at >= :start AND created_at < :end THEN 1 ELSE 0 END) FROM residentrequest "
    "WHERE community_id = :cid AND ((solved_at >= :start AND solved_at < :end) "
    "OR (created_at >= :start AND created_at < :end) OR (closed_at >= :start AND closed_at < :end)) GROUP BY grid_id",
    "SELECT h.grid_id, SUM(CASE WHEN p.delta > 0 THEN p.delta ELSE 0 END), "
    "SUM(CASE WHEN p.delta < 0 THEN -p.delta ELSE 0 END) FROM pointsentry p JOIN resident r ON r.id = p.resident_id "
    "LEFT JOIN household h ON h.id = r.household_id WHERE r.community_id = :cid AND p.created_at >= :start "
    "AND p.created_at < :end GROUP BY h.grid_id",
    "SELECT t.name, COUNT(*) FROM booking b JOIN servicetype t ON t.id = b.service_type_id "
    "WHERE b.community_id = :cid AND b.status = 'done' AND COALESCE(b.scheduled_at, b.updated_at) >= :start "
    "AND COALESCE(b.scheduled_at, b.updated_at) < :end GROUP BY t.name",
]

_PAGE = ("SELECT r.id, r.name, r.mobile, h.building, h.unit, h.room, c.name FROM resident r "
         "LEFT JOIN household h ON h.id = r.household_id LEFT JOIN compound c ON c.id = h.compound_id "
         "WHERE r.community_id = :cid AND r.moved_out_at IS NULL {where} "
         "ORDER BY h.compound_id, length(h.building), h.building, h.unit, length(h.room), h.room, r.name, r.id "
         "LIMIT 20 OFFSET {offset}")
_COUNT = ("SELECT COUNT(*) FROM resident r LEFT JOIN household h ON h.id = r.household_id "
          "WHERE r.community_id = :cid AND r.moved_out_at IS NULL {where}")
_CARE = ("SELECT rc.resident_id, rc.category FROM residentcare rc WHERE rc.resident_id IN "
         "(SELECT r.id FROM resident r LEFT JOIN household h ON h.id = r.household_id "
         "WHERE r.community_id = :cid AND r.moved_out_at IS NULL {where} LIMIT 20)")
_NAME = "AND r.name LIKE '%秀英%'"
_FILTER = ("AND h.grid_id IN (SELECT id FROM grid WHERE id = :grid OR parent_id = :grid) AND EXISTS "
           "(SELECT 1 FROM residentcare c WHERE c.resident_id = r.id AND c.category = 'living_alone')")


def _search(where: str, offset: int = 0) -> list[str]:
    return [_COUNT.format(where=where), _PAGE.format(where=where, offset=offset), _CARE.format(where=where)]


HAND_SQL: dict[str, list[str]] = {
    "home": _OVERVIEW + _TODO + _MONTH,
    "search_name": _search(_NAME),
    "search_filter": _search(_FILTER),
    "search_page": _search("", 1980),
}
