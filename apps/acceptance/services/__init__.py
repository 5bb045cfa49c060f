"""Writes of the acceptance app (one module per aggregate)."""
