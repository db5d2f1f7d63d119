"""Staff pages (laptop first, usable on a phone)."""
