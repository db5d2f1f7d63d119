"""Classes (清瑞课堂) and groups (兴趣小组): the rules, one module per job.

- ``common``      loading a course, who may see and manage it, ages, household members, who to tell.
- ``courses``     staff create and edit courses and groups, share them with partner communities,
                  and set the community's class rules (no-show limit).
- ``rooms``       a session's function room, reserved through the room's service slots.
- ``sessions``    dated sessions: single dates or a weekly rule with exceptions; cancelling.
- ``enrolment``   enrol, waitlist (services/core/waitlist) and promotion, withdraw, 代办, remove.
- ``groups``      join requests decided by the leader or staff, members and announcements.
- ``attendance``  the roll (teacher or staff), check-in codes, no-shows and the waitlist priority.
- ``household``   household members without an account (a child), added by staff.
- ``views``       what residents read: the 课堂 list, a course page, 我的课程.
- ``staff_views`` staff lists (courses, enrolments, waitlists) and the attendance register.
- ``export``      the attendance register as an Excel file; ``calendar``: .ics files.
- ``notices``     day-before reminders and the staff to-do items.
- ``points_hook`` the one call into the volunteering ledger.
"""
