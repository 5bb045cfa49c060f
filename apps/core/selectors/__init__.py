"""Kernel selectors, one module per area."""
