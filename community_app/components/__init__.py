"""Shared UI pieces: the page shells, navigation, form fields, cards and empty states."""
