"""Reflex states: thin, call services, hold view data. Nothing here is a security boundary."""
