"""Booking page states, one module per page.

Residents: ``services`` (/services), ``service`` (/services/<id>: slots or a request form),
``my_bookings`` (/bookings), ``booking`` (/bookings/<id>, also for the volunteer sent),
``notifications`` (/notifications). Staff: ``staff_queue`` (预约审批), ``staff_days`` (服务日),
``staff_day_sheet`` (服务日名单), ``staff_book`` (代办预约), ``staff_catalogue`` (服务目录).
``common`` holds what several of them share. Every handler reaches the database through
``AppState._run`` (off the event loop)."""
