"""Pages: one module per route or route group; resident/ and staff/."""
