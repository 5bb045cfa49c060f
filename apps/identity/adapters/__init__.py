"""Outside parties of identity: every one a Protocol, an HTTP client and a simulator (simulators.py)."""
