"""Page states of the register (台账), grids, 诉求, notices, roles and the audit log: thin, every
handler calls a service through ``AppState._run``."""
