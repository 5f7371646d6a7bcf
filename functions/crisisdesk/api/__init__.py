"""Static parts of the HTTP surface (the commander dashboard)."""
