"""supervision models."""
