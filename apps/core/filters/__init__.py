"""Kernel filters, one module per area."""
