"""Resident pages (phone first)."""
