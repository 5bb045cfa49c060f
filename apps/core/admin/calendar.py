"""Admin: calendar."""
