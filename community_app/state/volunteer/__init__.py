"""States of the volunteering pages (志愿): one module per page, thin, calling
``services.volunteering`` through ``AppState._run``."""
