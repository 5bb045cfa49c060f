"""Admin: organisations."""
