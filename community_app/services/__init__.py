"""Business rules: plain functions over a database session. Never imports reflex."""
