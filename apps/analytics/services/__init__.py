"""Writes of the analytics app (each validates, checks permission and scope, logs, runs in a transaction)."""
