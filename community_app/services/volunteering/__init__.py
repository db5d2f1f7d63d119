"""Volunteering and points (志愿服务与积分), one job per module:

- ``common``     shared small helpers: codes, names, zones, who leads a team, checked ids.
- ``points``     the ledger: award / debit / refund / adjust / expire, balances and history.
                 ``points.award`` is the public API other domains call (idempotent by source).
- ``teams``      service teams: apply, approve (leader or staff), members, team pages.
- ``activities`` activities with shifts, sign-up / withdraw / waitlist on places.
- ``hours``      verified service time: venue codes, leader confirmation, make-up time,
                 time for assigned bookings, a volunteer's hours as a sheet.
- ``shop``       the points supermarket: goods, redemptions, pick-up codes, hand-over, refunds.
- ``visits``     定期探望: pairs of volunteers and elders living alone, visit logs, overdue.
- ``tasks``      我的任务: assigned bookings, my shifts and visits; a day-before reminder source.
- ``views``      the 志愿 tab's summary, monthly rankings and the 爱心存折 (passbook).
- ``ledger``     the staff ledger list and the Excel sheets (openpyxl).
- ``todo``       the staff home's items: understaffed shifts, overdue visits, concerns ...

Nothing here imports reflex. Every public function takes ``session`` and the ``actor`` and
checks permissions itself; functions that change something commit and roll back on any
error, except the in-transaction helpers documented as such (``points.award`` ...).
"""
