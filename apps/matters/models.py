"""Matters models."""
