"""Writes of mobile (every one: transaction, permission and scope check, history, audit)."""
