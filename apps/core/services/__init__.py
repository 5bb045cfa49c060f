"""Kernel services, one module per area."""
