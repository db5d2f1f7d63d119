"""The register (台账) and what hangs on it: people and households with care categories
(``people``, ``households``, ``search``), imports and exports of the sheets staff keep
(``sheets``, ``imports``, ``exports``), grids and buildings (``grids``), who may change what
(``scope``: ``has_permission`` for every domain), 诉求 (``requests``, ``requests_desk``),
通知公告 (``notices``), 民情日记 (``diary``), staff roles (``roles``), the audit log
(``audit_search``) and the month in numbers (``stats``).

Import the module you need (``from community_app.services.register import grids``); this package
imports nothing itself so that any of them can be used without the rest.
"""
