"""Mediation (调解, the "小胡说事" room) and 议事, one module per job:

- ``common``    vocabularies, ``can_mediate`` (THE permission check), loading a case for a party
                or for staff (staff views and other-community refusals audit-logged), timeline
                steps, telling the parties;
- ``parties``   who the parties are (a registered resident or a typed name and address) and the
                neighbour look-up by address;
- ``cases``     filing by a resident or by staff for a caller, with the case number counter;
- ``updates``   staff updates (public / internal / private, app / phone / visit), the parties'
                statements with evidence and their private messages to the mediator;
- ``workflow``  assign, outcome and 主次责任, close, 回访, reopen within 30 days;
- ``sessions``  sessions in the mediation room through its ServiceSlots (capacity.take);
- ``clocks``    the promise as a clock: quiet and unanswered cases, settings, the to-do provider;
- ``views``     what a party / staff may see, lists, evidence photos;
- ``stats``     numbers for staff;
- ``topics``    议事 for shared problems;
- ``evidence``  photo checks and storage.

Nothing here imports reflex.
"""
