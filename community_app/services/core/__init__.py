"""The shared core every domain builds on (bookings, classes, volunteer shifts, the points shop,
mediation, 诉求). Plain functions over a session; nothing here knows a domain.

- ``tx``        transactions and write locks: ``mutating`` (BEGIN IMMEDIATE on SQLite, roll back on
                any error), ``lock`` (SELECT ... FOR NO KEY UPDATE on PostgreSQL), ``is_sqlite``.
- ``clock``     the community clock: zone, local today, day bounds, limit periods, ``format_when``.
- ``capacity``  places on any counter column: ``take`` / ``give_back`` by conditional UPDATE, and
                ``take_stock`` / ``return_stock`` for a stock that counts down.
- ``waitlist``  an ordered waitlist over any table (``WaitlistSpec``) with ``promote`` through an
                ``admit`` callback that decides (admitted / skip this person / stop).
- ``timeline``  append-only events with standard notes rendered from i18n keys (``TimelineStep``).
- ``notify``    in-app notifications worded in the recipient's language, idempotent by key.
- ``reminders`` day-before reminders for anything dated: domains register a source.
- ``paging``    one page of a staff list (``Page``) and checked id lists for bulk actions.
- ``text``      cleaning of user text and small numbers into clear ``ValidationError`` s.
"""
